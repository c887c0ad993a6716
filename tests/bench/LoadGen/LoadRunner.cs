using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Testing;
using ScriptDsl.Protocol.V1;

namespace LoadGen;

/// <summary>The two workloads of issue 12.</summary>
public enum Workload
{
    /// <summary>Every buyer in a conversation of its own, one message in flight (a buyer waits for the reply).</summary>
    A,

    /// <summary>Conversations shared by several concurrent streams each (a conversation's turns queue).</summary>
    B,
}

/// <summary>How to load the service.</summary>
public sealed record LoadOptions
{
    /// <summary>The servers (one per replica); connections are spread over them in turn.</summary>
    public required IReadOnlyList<Uri> Targets { get; init; }

    /// <summary>Concurrent callers: buyers in workload A, streams in workload B.</summary>
    public int Callers { get; init; } = 160;

    /// <summary>Workload B: how many conversations the callers share (callers / conversations streams each).</summary>
    public int Conversations { get; init; } = 16;

    /// <summary>Long-lived HTTP/2 connections, one GrpcChannel each; callers are spread over them in turn.</summary>
    public int Connections { get; init; } = 16;

    public Workload Workload { get; init; } = Workload.A;

    /// <summary>Send a request_id with every Reply (what a client that retries does; adds the stored answer to each commit).</summary>
    public bool RequestIds { get; init; }

    /// <summary>Bounds every call; a call that takes longer is a failure.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Distinguishes this run's conversations from any other run's on the same store.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..8];
}

/// <summary>What one phase (one call kind, one round) measured.</summary>
public sealed record PhaseResult(
    string Call,
    long Completed,
    long Failed,
    long Invalid,
    TimeSpan Elapsed,
    long[] LatencyTicks,
    TimeSpan ClientCpu,
    TimeSpan? ServerCpu,
    int ConversationsStarted,
    IReadOnlyList<string> Problems,
    TimeSpan? DatabaseCpu = null)
{
    public double RequestsPerSecond => Completed / Elapsed.TotalSeconds;

    /// <summary>Exact percentile (nearest rank) of the recorded latencies, in milliseconds.</summary>
    public double PercentileMs(double p)
    {
        if (LatencyTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * LatencyTicks.Length) - 1;
        return LatencyTicks[Math.Clamp(rank, 0, LatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public double ClientCpuMicrosPerRequest => Completed == 0 ? double.NaN : ClientCpu.TotalMicroseconds / Completed;

    public double ServerCpuMicrosPerRequest => Completed == 0 || ServerCpu is null ? double.NaN : ServerCpu.Value.TotalMicroseconds / Completed;

    /// <summary>The database server's processes (PostgreSQL: the postmaster and all its backends), when given.</summary>
    public double DatabaseCpuMicrosPerRequest => Completed == 0 || DatabaseCpu is null ? double.NaN : DatabaseCpu.Value.TotalMicroseconds / Completed;
}

/// <summary>
/// The generator's core: callers on a few long-lived HTTP/2 connections, each a closed loop (send,
/// wait for the answer, send the next) for a fixed time. Reply callers walk the lamp-shop dialogue
/// and start a new conversation when it ends; every answer is checked (<see cref="ReplyValidator"/>).
/// EmptyCall callers (grpc.testing.TestService, served with --interop) use the same connections and
/// concurrency. Latencies are all recorded and sorted, so percentiles are exact.
/// </summary>
public sealed class LoadRunner : IDisposable
{
    private readonly LoadOptions _options;
    private readonly GrpcChannel[] _channels;
    private readonly ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient[] _api;
    private readonly TestService.TestServiceClient[] _test;
    private readonly IReadOnlyList<int> _serverPids;
    private readonly IReadOnlyList<int> _databasePids;
    private ReplyValidator? _validator;
    private int _conversationSerial;

    /// <param name="databasePids">Database servers whose CPU is reported too, each with all its child processes (a PostgreSQL postmaster: its backends).</param>
    public LoadRunner(LoadOptions options, IReadOnlyList<int>? serverPids = null, IReadOnlyList<int>? databasePids = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Targets.Count == 0 || options.Callers < 1 || options.Connections < 1 || options.Conversations < 1)
        {
            throw new ArgumentException("at least one target, caller, connection and conversation", nameof(options));
        }

        _options = options;
        _serverPids = serverPids ?? [];
        _databasePids = databasePids ?? [];
        _channels = new GrpcChannel[options.Connections];
        for (var i = 0; i < _channels.Length; i++)
        {
            // One connection per channel: callers are spread over the channels, so the run holds
            // exactly Connections HTTP/2 connections (Kestrel's stream limit, 100, is above callers per connection).
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            };
            _channels[i] = GrpcChannel.ForAddress(options.Targets[i % options.Targets.Count], new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }

        _api = [.. _channels.Select(c => new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(c))];
        _test = [.. _channels.Select(c => new TestService.TestServiceClient(c))];
    }

    /// <summary>Runs the dialogue once alone on each target (its answers are the reference of every check).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _validator = await ReplyValidator.LearnAsync(_api[0], $"loadgen-{_options.RunId}-reference", _options.CallTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every Reply caller's loop for <paramref name="duration"/>.</summary>
    public Task<PhaseResult> RunReplyAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        RunPhaseAsync("Reply", duration, ReplyLoopAsync, cancellationToken, conversations: true);

    /// <summary>Every EmptyCall caller's loop for <paramref name="duration"/>.</summary>
    public Task<PhaseResult> RunEmptyAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        RunPhaseAsync("EmptyCall", duration, EmptyLoopAsync, cancellationToken, conversations: false);

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private delegate Task LoopBody(int caller, CallerLog log, long deadline, ConversationPlan plan, CancellationToken cancellationToken);

    private async Task<PhaseResult> RunPhaseAsync(string call, TimeSpan duration, LoopBody body, CancellationToken cancellationToken, bool conversations)
    {
        if (_validator is null)
        {
            throw new InvalidOperationException("PrepareAsync first");
        }

        var plan = new ConversationPlan(this, conversations);
        var logs = Enumerable.Range(0, _options.Callers).Select(_ => new CallerLog()).ToArray();
        var serverBefore = ServerCpu();
        var databaseBefore = DatabaseCpu();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task[_options.Callers];
        for (var i = 0; i < loops.Length; i++)
        {
            var caller = i;
            loops[i] = Task.Run(() => body(caller, logs[caller], deadline, plan, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        var serverAfter = ServerCpu();
        var databaseAfter = DatabaseCpu();
        var latencies = logs.SelectMany(l => l.Latencies).ToArray();
        Array.Sort(latencies);
        return new PhaseResult(
            call,
            latencies.Length,
            logs.Sum(l => l.Failed),
            logs.Sum(l => l.Invalid),
            elapsed,
            latencies,
            clientCpu,
            serverBefore is null || serverAfter is null ? null : serverAfter - serverBefore,
            plan.Started,
            [.. logs.SelectMany(l => l.Problems).Take(10)],
            databaseBefore is null || databaseAfter is null ? null : databaseAfter - databaseBefore);
    }

    private async Task EmptyLoopAsync(int caller, CallerLog log, long deadline, ConversationPlan plan, CancellationToken cancellationToken)
    {
        var client = _test[caller % _test.Length];
        var empty = new Empty();
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await client.EmptyCallAsync(empty, deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                log.Latencies.Add(Stopwatch.GetTimestamp() - sent);
            }
            catch (RpcException e)
            {
                log.Fail($"EmptyCall: {e.StatusCode} {e.Status.Detail}");
            }
        }
    }

    private async Task ReplyLoopAsync(int caller, CallerLog log, long deadline, ConversationPlan plan, CancellationToken cancellationToken)
    {
        var client = _api[caller % _api.Length];
        var validator = _validator!;
        Conversation? conversation = null;
        var requestSerial = 0;
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            // A conversation is started only when its first line is sent, so every one started is in the store.
            conversation ??= plan.For(caller);
            // Workload A: this caller's conversation, turn by turn. Workload B: the shared
            // conversation's next line (the streams of one conversation advance it together).
            var turn = conversation.NextTurn();
            var request = new ReplyRequest
            {
                ShopId = Dialogue.Shop,
                ConversationId = conversation.Id,
                Message = Dialogue.Line(turn, conversation.Budget),
                RequestId = _options.RequestIds ? $"{caller}-{++requestSerial}" : "",
            };
            var sent = Stopwatch.GetTimestamp();
            try
            {
                var reply = await client.ReplyAsync(request, deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                log.Latencies.Add(Stopwatch.GetTimestamp() - sent);
                var problem = _options.Workload == Workload.A
                    ? validator.Check(reply, turn, conversation.Budget)
                    : validator.CheckBudget(reply, turn, conversation.Budget);
                if (problem is not null)
                {
                    log.Invalid++;
                    log.Problems.Add($"{conversation.Id}: {problem}");
                }
            }
            catch (RpcException e)
            {
                log.Fail($"Reply {conversation.Id} turn {turn}: {e.StatusCode} {e.Status.Detail}");
            }

            if (_options.Workload == Workload.A && turn == Dialogue.Length - 1)
            {
                conversation = null; // the dialogue ended: this buyer's next line opens a new conversation
            }
        }
    }

    /// <summary>PostgreSQL's CPU so far: each given process with its children (the backends), or null when none was given or one has gone.</summary>
    private TimeSpan? DatabaseCpu() => TotalCpu(_databasePids, ProcessCpu.OfTree);

    /// <summary>The servers' CPU so far, or null when no server process was given or one has gone.</summary>
    private TimeSpan? ServerCpu() => TotalCpu(_serverPids, ProcessCpu.Of);

    private static TimeSpan? TotalCpu(IReadOnlyCollection<int> pids, Func<int, TimeSpan?> cpuOf)
    {
        if (pids.Count == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            if (cpuOf(pid) is not { } cpu)
            {
                return null;
            }

            total += cpu;
        }

        return total;
    }

    /// <summary>One caller's record; touched by its own loop only.</summary>
    private sealed class CallerLog
    {
        public List<long> Latencies { get; } = new(4096);

        public long Failed { get; private set; }

        public long Invalid { get; set; }

        public List<string> Problems { get; } = [];

        public void Fail(string problem)
        {
            Failed++;
            if (Problems.Count < 3)
            {
                Problems.Add(problem);
            }
        }
    }

    /// <summary>The conversations of one phase: a new one per buyer (A) or per group of streams (B).</summary>
    private sealed class ConversationPlan
    {
        private readonly LoadRunner _runner;
        private readonly Conversation[] _shared;
        private int _started;

        public ConversationPlan(LoadRunner runner, bool conversations)
        {
            _runner = runner;
            _shared = conversations && runner._options.Workload == Workload.B
                ? [.. Enumerable.Range(0, runner._options.Conversations).Select(_ => New())]
                : [];
        }

        public int Started => Volatile.Read(ref _started);

        /// <summary>Workload A: a new conversation of this caller's own. Workload B: the conversation this caller's stream shares.</summary>
        public Conversation For(int caller) =>
            _runner._options.Workload == Workload.B ? _shared[caller % _shared.Length] : New();

        private Conversation New()
        {
            Interlocked.Increment(ref _started);
            var serial = Interlocked.Increment(ref _runner._conversationSerial);
            // Budgets repeat only after 100,000 conversations: never between two in flight at once.
            return new Conversation($"loadgen-{_runner._options.RunId}-{serial.ToString(CultureInfo.InvariantCulture)}", Dialogue.Budget(serial % 100_000));
        }
    }

    /// <summary>A conversation and the next line its buyer sends (shared by the streams of workload B; they wrap around the dialogue).</summary>
    private sealed class Conversation(string id, int budget)
    {
        private int _next = -1;

        public string Id { get; } = id;

        public int Budget { get; } = budget;

        public int NextTurn() => (int)((uint)Interlocked.Increment(ref _next) % (uint)Dialogue.Length);
    }
}

/// <summary>A process's CPU time (user + system) from /proc/PID/stat, in the kernel's clock ticks.</summary>
public static class ProcessCpu
{
    private static readonly long TicksPerSecond = ClockTicks();

    public static TimeSpan? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds((utime + stime) / (double)TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// A process and its children: its own time, the time of the children it has waited for
    /// (cutime + cstime: a backend that exited), and the time of each live child (a process whose
    /// parent, field 4 of its stat, is <paramref name="pid"/>). A PostgreSQL postmaster's children
    /// are its backends and background processes.
    /// </summary>
    public static TimeSpan? OfTree(int pid)
    {
        var own = Fields(pid);
        if (own is null)
        {
            return null;
        }

        var ticks = Ticks(own, 11) + Ticks(own, 12) + Ticks(own, 13) + Ticks(own, 14);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && child != pid
                && Fields(child) is { } fields && Ticks(fields, 1) == pid)
            {
                ticks += Ticks(fields, 11) + Ticks(fields, 12);
            }
        }

        return TimeSpan.FromSeconds(ticks / (double)TicksPerSecond);
    }

    /// <summary>The fields of /proc/PID/stat after the command name (field 3, the state, is index 0), or null when the process is gone.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);

    /// <summary>
    /// USER_HZ, the unit of /proc/PID/stat's times. The kernel fixes it at 100 for user space on
    /// x86-64 and arm64 (the tick rate inside the kernel may differ; what /proc reports is scaled to
    /// USER_HZ), and .NET has no sysconf(_SC_CLK_TCK) to ask.
    /// </summary>
    private static long ClockTicks() => 100;
}
