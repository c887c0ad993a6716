using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using ScriptService.Grpc.Binding;
using ScriptService.Grpc.Server;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Services;

/// <summary>
/// grpc.reflection.v1.ServerReflection: lists the hosted services and serves the
/// FileDescriptorProtos that describe them, so generic tools can call us without .proto files.
/// </summary>
public sealed class ReflectionServiceV1
{
    private readonly GrpcServiceRegistry _registry;
    private Index? _index;

    public ReflectionServiceV1(GrpcServiceRegistry registry) => _registry = registry;

    public async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream, IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(Answer(requestStream.Current)).ConfigureAwait(false);
        }
    }

    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        // Services are all mapped at startup, before the first call can arrive, so the index is built once.
        var index = _index ??= new Index(_registry.Services);
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var service in _registry.Services)
                {
                    list.Service.Add(new ServiceResponse { Name = service.FullName });
                }
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FindFile(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FindSymbol(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.FindSymbol(request.AllExtensionNumbersOfType) is null)
                {
                    SetError(response, Protocol.StatusCode.NotFound, $"Type not found: {request.AllExtensionNumbersOfType}");
                }
                else
                {
                    // Our protos (proto3) declare no extensions.
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                SetError(response, Protocol.StatusCode.NotFound, "Extensions are not supported.");
                break;
            default:
                SetError(response, Protocol.StatusCode.Unimplemented, "Unknown reflection request.");
                break;
        }
        return response;
    }

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, Protocol.StatusCode.NotFound, notFound);
            return;
        }
        // The file and everything it imports, each once: the client may not have seen any of them.
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }
            files.FileDescriptorProto.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }
        response.FileDescriptorResponse = files;
    }

    private static void SetError(ServerReflectionResponse response, Protocol.StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    private sealed class Index
    {
        private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
        private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);

        public Index(IEnumerable<ServiceDescriptor> services)
        {
            foreach (var service in services)
            {
                AddFile(service.File);
            }
        }

        public FileDescriptor? FindFile(string name) => _files.GetValueOrDefault(name);

        public FileDescriptor? FindSymbol(string symbol) => _symbols.GetValueOrDefault(symbol.TrimStart('.'));

        private void AddFile(FileDescriptor file)
        {
            if (!_files.TryAdd(file.Name, file))
            {
                return;
            }
            foreach (var service in file.Services)
            {
                _symbols[service.FullName] = file;
                foreach (var method in service.Methods)
                {
                    _symbols[method.FullName] = file;
                }
            }
            foreach (var message in file.MessageTypes)
            {
                AddMessage(message, file);
            }
            foreach (var enumType in file.EnumTypes)
            {
                _symbols[enumType.FullName] = file;
            }
            foreach (var dependency in file.Dependencies)
            {
                AddFile(dependency);
            }
        }

        private void AddMessage(MessageDescriptor message, FileDescriptor file)
        {
            _symbols[message.FullName] = file;
            foreach (var nested in message.NestedTypes)
            {
                AddMessage(nested, file);
            }
            foreach (var enumType in message.EnumTypes)
            {
                _symbols[enumType.FullName] = file;
            }
        }
    }
}
