using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.CallHandlers;
using ScriptService.Grpc.Server;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Binding;

/// <summary>A bound method: its route and the handler that serves it.</summary>
public sealed record GrpcMethodBinding(string Path, MethodDescriptor Descriptor, ServerCallHandlerBase Handler, bool IsImplemented);

/// <summary>
/// Binds a plain service class to the methods of a protobuf service descriptor, once at startup:
/// each RPC maps to the public instance method of the same name whose shape matches its call kind.
/// An RPC with no such method answers UNIMPLEMENTED; a method of the right name with the wrong shape
/// fails startup, so a typo never becomes a silent UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceBinder
{
    private readonly GrpcServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    public GrpcServiceBinder(GrpcServerOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _options = options;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    public static string PathOf(MethodDescriptor method) => "/" + method.Service.FullName + "/" + method.Name;

    public IReadOnlyList<GrpcMethodBinding> Bind(ServiceDescriptor service, object implementation)
    {
        var logger = _loggerFactory.CreateLogger("ScriptService.Grpc." + service.FullName);
        var bindings = new List<GrpcMethodBinding>();
        foreach (var method in service.Methods)
        {
            var path = PathOf(method);
            var clrMethod = implementation.GetType().GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance);
            if (clrMethod is null)
            {
                bindings.Add(new GrpcMethodBinding(path, method,
                    new UnimplementedServerCallHandler(path, "Method is unimplemented.", _options, _timeProvider, logger), IsImplemented: false));
                continue;
            }
            var request = method.InputType.ClrType;
            var response = method.OutputType.ClrType;
            var (handlerType, delegateType) = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => (typeof(UnaryServerCallHandler<,>), typeof(UnaryMethod<,>)),
                (false, true) => (typeof(ServerStreamingServerCallHandler<,>), typeof(ServerStreamingMethod<,>)),
                (true, false) => (typeof(ClientStreamingServerCallHandler<,>), typeof(ClientStreamingMethod<,>)),
                (true, true) => (typeof(DuplexStreamingServerCallHandler<,>), typeof(DuplexStreamingMethod<,>)),
            };
            var closedDelegate = delegateType.MakeGenericType(request, response);
            Delegate invoker;
            try
            {
                invoker = Delegate.CreateDelegate(closedDelegate, implementation, clrMethod);
            }
            catch (ArgumentException)
            {
                var expected = closedDelegate.GetMethod("Invoke")!;
                throw new InvalidOperationException(
                    $"{implementation.GetType().FullName}.{clrMethod.Name} does not match rpc {method.FullName}: expected " +
                    $"{Describe(expected.ReturnType)} {method.Name}({string.Join(", ", expected.GetParameters().Select(p => Describe(p.ParameterType)))}).");
            }
            var parser = method.InputType.Parser;
            var handler = (ServerCallHandlerBase)Activator.CreateInstance(
                handlerType.MakeGenericType(request, response),
                path, parser, invoker, _options, _timeProvider, logger)!;
            bindings.Add(new GrpcMethodBinding(path, method, handler, IsImplemented: true));
        }
        return bindings;
    }

    private static string Describe(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(Describe)) + ">"
        : type.Name;
}
