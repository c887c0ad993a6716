using Google.Protobuf;
using Grpc.Testing;
using Grpc.Core;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>Bad input never crashes the server: every malformed request ends with a gRPC status.</summary>
public class BadInputTests
{
    private static readonly string[] Methods =
    {
        "/grpc.testing.TestService/EmptyCall",
        "/grpc.testing.TestService/UnaryCall",
        "/grpc.testing.TestService/StreamingOutputCall",
        "/grpc.testing.TestService/StreamingInputCall",
        "/grpc.testing.TestService/FullDuplexCall",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/grpc.health.v1.Health/Check",
    };

    [Fact]
    public async Task Every_truncated_prefix_of_a_request_body_gets_a_status()
    {
        await using var server = await TestServer.StartAsync();
        var body = Raw.Frame(new SimpleRequest { ResponseSize = 3, Payload = new Payload { Body = ByteString.CopyFrom(new byte[] { 1, 2, 3 }) } })
            .Concat(Raw.Frame(new Empty())).ToArray();
        foreach (var method in Methods)
        {
            for (var length = 0; length <= body.Length; length++)
            {
                var response = await Raw.SendAsync(server.Http, Raw.Request(method, body[..length]));
                Assert.True(response.GrpcStatus is not null, $"{method} with {length} bytes: no grpc-status");
            }
        }
    }

    [Fact]
    public async Task Random_bytes_and_odd_headers_get_a_status_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        var random = new Random(1234); // fixed seed: a failure can be replayed
        for (var i = 0; i < 60; i++)
        {
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            if (i % 2 == 0 && body.Length > 5)
            {
                body[0] = (byte)(i % 4 == 0 ? 0 : 1);
                body[1] = body[2] = 0;
            }
            var headers = (i % 5) switch
            {
                0 => new[] { ("grpc-timeout", "x" + i) },
                1 => new[] { ("grpc-encoding", "gzip") },
                2 => new[] { ("a-bin", "%%%") },
                3 => new[] { ("grpc-timeout", "1n") },
                _ => Array.Empty<(string, string)>(),
            };
            var response = await Raw.SendAsync(server.Http, Raw.Request(Methods[i % Methods.Length], body, headers: headers));
            Assert.True(response.GrpcStatus is not null, $"case {i}: no grpc-status");
        }
        var ok = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.OK, ok.GrpcStatus);
    }
}
