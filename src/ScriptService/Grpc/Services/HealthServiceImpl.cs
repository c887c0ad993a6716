using System.Threading.Channels;
using Grpc.Health.V1;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ScriptService.Grpc.Services;

/// <summary>
/// grpc.health.v1.Health. The empty service name is the server as a whole and is SERVING from the
/// start; each service mapped with MapGrpcService is SERVING from its mapping; the host changes any of
/// them with <see cref="SetStatus"/>, and Watch streams the changes.
/// </summary>
public sealed class HealthServiceImpl
{
    private readonly object _sync = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly List<(string Service, Channel<ServingStatus> Channel)> _watchers = new();

    public void SetStatus(string service, ServingStatus status)
    {
        lock (_sync)
        {
            _statuses[service] = status;
            foreach (var watcher in _watchers)
            {
                if (string.Equals(watcher.Service, service, StringComparison.Ordinal))
                {
                    watcher.Channel.Writer.TryWrite(status);
                }
            }
        }
    }

    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        lock (_sync)
        {
            if (!_statuses.TryGetValue(request.Service, out var status))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
            }
            return Task.FromResult(new HealthCheckResponse { Status = status });
        }
    }

    /// <summary>Sends the current status, then every change, until the client cancels.</summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var channel = Channel.CreateUnbounded<ServingStatus>(new UnboundedChannelOptions { SingleReader = true });
        var entry = (request.Service, channel);
        lock (_sync)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            _watchers.Add(entry);
        }
        try
        {
            ServingStatus? last = null;
            await foreach (var status in channel.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (status != last)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
                    last = status;
                }
            }
        }
        finally
        {
            lock (_sync)
            {
                _watchers.Remove(entry);
            }
        }
    }
}
