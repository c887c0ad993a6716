using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>
/// The one place that writes a call's status. When nothing has been sent yet the status goes in the
/// response headers as a trailers-only response (one HEADERS frame with END_STREAM); otherwise in trailers.
/// </summary>
internal static class GrpcStatusWriter
{
    public static void WriteStatus(HttpResponse response, Status status, Metadata? trailers, bool bodyWritten)
    {
        // A message may sit unflushed in the body pipe (unary responses): then HasStarted is still false
        // but the status must go in trailers all the same.
        if (!response.HasStarted && !bodyWritten)
        {
            var headers = response.Headers;
            headers.ContentType = GrpcProtocol.ContentType;
            headers[GrpcProtocol.StatusTrailer] = StatusCodeText(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail))
            {
                headers[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode(status.Detail);
            }
            if (trailers is not null)
            {
                MetadataHeaders.Append(trailers, (key, value) => headers.Append(key, value));
            }
            return;
        }

        // One feature lookup for all trailers (HttpResponse.AppendTrailer looks it up on every call).
        var trailerHeaders = response.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (trailerHeaders is null || trailerHeaders.IsReadOnly)
        {
            return;
        }
        trailerHeaders[GrpcProtocol.StatusTrailer] = StatusCodeText(status.StatusCode);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            trailerHeaders[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode(status.Detail);
        }
        if (trailers is not null)
        {
            MetadataHeaders.Append(trailers, (key, value) => trailerHeaders.Append(key, value));
        }
    }

    /// <summary>
    /// A request refused by the gate before any call exists (wrong protocol or content type): an HTTP
    /// status that HTTP-only intermediaries understand, plus a gRPC status for gRPC clients.
    /// </summary>
    public static void WriteRefusal(HttpResponse response, int httpStatusCode, Status status)
    {
        response.StatusCode = httpStatusCode;
        WriteStatus(response, status, null, bodyWritten: false);
    }

    private static readonly string[] CodeTexts = Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string StatusCodeText(StatusCode code) =>
        (uint)code < (uint)CodeTexts.Length ? CodeTexts[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
