using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Hosting;

/// <summary>
/// The benchmark's floor: plain Kestrel HTTP/2 endpoints that read the request body and return the
/// same bytes as the interop EmptyCall and 64-byte UnaryCall responses, without any gRPC processing.
/// Hosted only with --interop, next to the interop service.
/// </summary>
internal static class PlainEndpoints
{
    public static void Map(WebApplication app)
    {
        var empty = Frame(new Empty());
        var unary64 = Frame(new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFrom(new byte[64]) } });
        app.MapPost("/plain/empty", context => Respond(context, empty, trailer: false));
        app.MapPost("/plain/unary64", context => Respond(context, unary64, trailer: false));
        // The same plus a "grpc-status: 0" trailer: what the protocol's trailers frame costs on its own,
        // so the benchmark can tell that cost apart from the gRPC layer's.
        app.MapPost("/plain/empty-trailer", context => Respond(context, empty, trailer: true));
        app.MapPost("/plain/unary64-trailer", context => Respond(context, unary64, trailer: true));
    }

    private static async Task Respond(HttpContext context, byte[] body, bool trailer)
    {
        // Read the request like the gRPC handler does, so both sides pay for the request body.
        while (true)
        {
            var result = await context.Request.BodyReader.ReadAsync();
            context.Request.BodyReader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        context.Response.ContentType = "application/octet-stream";
        await context.Response.BodyWriter.WriteAsync(body);
        if (trailer)
        {
            context.Response.AppendTrailer("grpc-status", "0");
        }
    }

    private static byte[] Frame(IMessage message)
    {
        var bytes = new byte[GrpcProtocol.HeaderSize + message.CalculateSize()];
        MessageFraming.WriteHeader(bytes, compressed: false, message.CalculateSize());
        message.WriteTo(bytes.AsSpan(GrpcProtocol.HeaderSize));
        return bytes;
    }
}
