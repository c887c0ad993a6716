using Google.Protobuf;
using ScriptService.Grpc.Server;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace ScriptService.Grpc.Services;

/// <summary>
/// grpc.reflection.v1alpha.ServerReflection, still what many tools ask first. Its messages are
/// field-for-field those of v1, so requests and responses cross over through the wire format.
/// </summary>
public sealed class ReflectionServiceV1Alpha
{
    private readonly ReflectionServiceV1 _v1;

    public ReflectionServiceV1Alpha(ReflectionServiceV1 v1) => _v1 = v1;

    public async Task ServerReflectionInfo(IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requestStream, IServerStreamWriter<V1Alpha.ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = V1.ServerReflectionRequest.Parser.ParseFrom(requestStream.Current.ToByteString());
            var answer = _v1.Answer(request);
            await responseStream.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString())).ConfigureAwait(false);
        }
    }
}
