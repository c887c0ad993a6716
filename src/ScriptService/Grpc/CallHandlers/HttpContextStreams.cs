using Google.Protobuf;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

internal sealed class HttpContextStreamReader<T> : IAsyncStreamReader<T> where T : class, IMessage<T>
{
    private readonly HttpContextServerCallContext _call;
    private readonly MessageParser<T> _parser;
    private T? _current;
    private bool _completed;

    public HttpContextStreamReader(HttpContextServerCallContext call, MessageParser<T> parser)
    {
        _call = call;
        _parser = parser;
    }

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return false;
        }
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _call.CancellationToken)
            : null;
        _current = await _call.ReadMessageAsync(_parser, linked?.Token ?? _call.CancellationToken).ConfigureAwait(false);
        _completed = _current is null;
        return !_completed;
    }
}

internal sealed class HttpContextStreamWriter<T> : IServerStreamWriter<T> where T : class, IMessage<T>
{
    private readonly HttpContextServerCallContext _call;

    public HttpContextStreamWriter(HttpContextServerCallContext call) => _call = call;

    public WriteOptions? WriteOptions
    {
        get => _call.WriteOptions;
        set => _call.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : _call.CancellationToken;
        return _call.WriteMessageAsync(message, null, flush: true, token);
    }
}
