using Google.Protobuf;
using Google.Protobuf.Reflection;
using ScriptService.Grpc.Client;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace ScriptService.Grpc.Tests.Services;

public class ReflectionTests
{
    private static async Task<List<V1.ServerReflectionResponse>> AskV1(TestServer server, params V1.ServerReflectionRequest[] requests)
    {
        var client = server.Client.ForService(V1.ReflectionReflection.Descriptor.Services[0]);
        await using var call = client.Start<V1.ServerReflectionRequest, V1.ServerReflectionResponse>("ServerReflectionInfo", new CallOptions(Timeout: TestServer.TestTimeout));
        var responses = new List<V1.ServerReflectionResponse>();
        foreach (var request in requests)
        {
            await call.WriteAsync(request);
            Assert.True(await call.MoveNextAsync());
            responses.Add(call.Current);
        }
        await call.CompleteRequestAsync();
        Assert.False(await call.MoveNextAsync());
        call.EnsureSuccess();
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
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
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
        var built = FileDescriptor.BuildFromByteStrings(files.Reverse());
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
            new V1.ServerReflectionRequest { FileByFilename = "no/such.proto" },
            new V1.ServerReflectionRequest { AllExtensionNumbersOfType = "grpc.testing.SimpleRequest" });
        Assert.Equal(5, responses[0].ErrorResponse.ErrorCode);
        Assert.Equal(5, responses[1].ErrorResponse.ErrorCode);
        Assert.Equal("grpc.testing.SimpleRequest", responses[2].AllExtensionNumbersResponse.BaseTypeName);
    }

    [Fact]
    public async Task V1alpha_answers_like_v1()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client.ForService(V1Alpha.ReflectionReflection.Descriptor.Services[0]);
        await using var call = client.Start<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>("ServerReflectionInfo", new CallOptions(Timeout: TestServer.TestTimeout));
        await call.WriteAsync(new V1Alpha.ServerReflectionRequest { Host = "h", ListServices = "" });
        Assert.True(await call.MoveNextAsync());
        Assert.Equal("h", call.Current.ValidHost);
        Assert.Equal("h", call.Current.OriginalRequest.Host);
        Assert.Contains(call.Current.ListServicesResponse.Service, s => s.Name == "grpc.testing.TestService");
        await call.CompleteRequestAsync();
        Assert.False(await call.MoveNextAsync());
    }
}
