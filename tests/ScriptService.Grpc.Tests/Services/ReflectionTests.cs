using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace ScriptService.Grpc.Tests.Services;

/// <summary>Server reflection (Grpc.AspNetCore.Server.Reflection, v1 and v1alpha) as a generic tool uses it.</summary>
public class ReflectionTests
{
    private static async Task<List<V1.ServerReflectionResponse>> AskV1(TestServer server, params V1.ServerReflectionRequest[] requests)
    {
        var client = new V1.ServerReflection.ServerReflectionClient(server.Channel);
        using var call = client.ServerReflectionInfo(deadline: TestServer.Deadline());
        var responses = new List<V1.ServerReflectionResponse>();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            responses.Add(call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        return responses;
    }

    [Fact]
    public async Task Lists_every_hosted_service()
    {
        await using var server = await TestServer.StartAsync();
        var response = (await AskV1(server, new V1.ServerReflectionRequest { ListServices = "*" })).Single();
        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("grpc.testing.TestService", names);
        Assert.Contains("grpc.testing.UnimplementedService", names);
    }

    [Fact]
    public async Task Describes_a_service_with_its_imports_as_usable_descriptors()
    {
        await using var server = await TestServer.StartAsync();
        var responses = await AskV1(server,
            new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.testing.TestService" },
            new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.testing.TestService.UnaryCall" },
            new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.testing.SimpleRequest" },
            new V1.ServerReflectionRequest { FileByFilename = "grpc/testing/messages.proto" });
        var files = responses[0].FileDescriptorResponse.FileDescriptorProto;
        var protos = files.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal(new[] { "grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto" }, protos.Select(p => p.Name).Order(StringComparer.Ordinal));
        // A generic tool rebuilds descriptors from these bytes alone (dependencies first).
        var ordered = files.OrderBy(f => FileDescriptorProto.Parser.ParseFrom(f).Name switch { "grpc/testing/empty.proto" => 0, "grpc/testing/messages.proto" => 1, _ => 2 });
        var built = FileDescriptor.BuildFromByteStrings(ordered);
        var service = built.Single(f => f.Name == "grpc/testing/test.proto").FindTypeByName<ServiceDescriptor>("TestService");
        Assert.True(service.FindMethodByName("FullDuplexCall").IsClientStreaming);
        Assert.Equal("grpc/testing/test.proto", FileDescriptorProto.Parser.ParseFrom(responses[1].FileDescriptorResponse.FileDescriptorProto[0]).Name);
        Assert.Equal("grpc/testing/messages.proto", FileDescriptorProto.Parser.ParseFrom(responses[2].FileDescriptorResponse.FileDescriptorProto[0]).Name);
        Assert.Equal("grpc/testing/messages.proto", FileDescriptorProto.Parser.ParseFrom(responses[3].FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task Unknown_symbols_and_files_are_not_found_errors_in_the_stream()
    {
        await using var server = await TestServer.StartAsync();
        var responses = await AskV1(server,
            new V1.ServerReflectionRequest { FileContainingSymbol = "no.Such" },
            new V1.ServerReflectionRequest { FileByFilename = "no/such.proto" });
        Assert.Equal((int)StatusCode.NotFound, responses[0].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, responses[1].ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task V1alpha_answers_like_v1()
    {
        await using var server = await TestServer.StartAsync();
        var client = new V1Alpha.ServerReflection.ServerReflectionClient(server.Channel);
        using var call = client.ServerReflectionInfo(deadline: TestServer.Deadline());
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "grpc.testing.TestService");
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
