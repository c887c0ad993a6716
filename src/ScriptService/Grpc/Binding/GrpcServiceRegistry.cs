using Google.Protobuf.Reflection;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Binding;

/// <summary>Which services the server hosts; read by server reflection and the health service.</summary>
public sealed class GrpcServiceRegistry
{
    private readonly List<(ServiceDescriptor Descriptor, object Implementation)> _services = new();

    public IReadOnlyList<ServiceDescriptor> Services => _services.Select(s => s.Descriptor).ToList();

    internal IReadOnlyList<(ServiceDescriptor Descriptor, object Implementation)> Entries => _services;

    public void Add(ServiceDescriptor descriptor, object implementation)
    {
        if (_services.Any(s => string.Equals(s.Descriptor.FullName, descriptor.FullName, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Service {descriptor.FullName} is registered twice.");
        }
        _services.Add((descriptor, implementation));
    }
}
