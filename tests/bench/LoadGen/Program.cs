using System.Globalization;
using LoadGen;

// The load generator of tests/bench/service-load.sh; see docs/benchmarks.md ("A load generator on
// Grpc.Net.Client") and LoadRunner. Prints one markdown table and every round's figures.
//
//   dotnet LoadGen.dll --target http://127.0.0.1:PORT [--target ...] [--server-pid PID ...] [--db-pid PID ...]
//     [--workload a|b] [--callers 160] [--conversations 16] [--connections 16]
//     [--duration 10] [--warmup 5] [--rounds 3] [--request-ids] [--calls both|reply|empty]
// (--calls reply: Reply alone, for profiling the Reply path; the table then has no EmptyCall row.
// --db-pid: a database server's main process, e.g. PostgreSQL's postmaster; its CPU and its children's
// (the backends) is reported per request beside the service's.)
var targets = new List<Uri>();
var pids = new List<int>();
var databasePids = new List<int>();
var workload = Workload.A;
int? callers = null, conversations = null, connections = null;
double duration = 10, warmup = 5;
var rounds = 3;
var requestIds = false;
var calls = "both";
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--target": targets.Add(new Uri(Value())); break;
            case "--server-pid": pids.Add(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--db-pid": databasePids.Add(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--workload":
                workload = Value() switch { "a" => Workload.A, "b" => Workload.B, var w => throw new ArgumentException($"--workload is a or b, not '{w}'") };
                break;
            case "--callers": callers = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--conversations": conversations = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--connections": connections = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--duration": duration = double.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--rounds": rounds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--request-ids": requestIds = true; break;
            case "--calls":
                calls = Value() is "both" or "reply" or "empty" ? args[i] : throw new ArgumentException($"--calls is both, reply or empty, not '{args[i]}'");
                break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }

    if (targets.Count == 0)
    {
        throw new ArgumentException("--target URL is required");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or OverflowException)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}

var options = new LoadOptions
{
    Targets = targets,
    Workload = workload,
    Callers = callers ?? 160,
    Conversations = conversations ?? 16,
    Connections = connections ?? 16,
    RequestIds = requestIds,
};
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var runner = new LoadRunner(options, pids, databasePids);
await runner.PrepareAsync(cancel.Token);
if (warmup > 0)
{
    await runner.RunEmptyAsync(TimeSpan.FromSeconds(warmup / 2), cancel.Token);
    await runner.RunReplyAsync(TimeSpan.FromSeconds(warmup / 2), cancel.Token);
}

var empty = new List<PhaseResult>();
var reply = new List<PhaseResult>();
for (var round = 0; round < rounds; round++)
{
    if (calls != "reply")
    {
        empty.Add(await runner.RunEmptyAsync(TimeSpan.FromSeconds(duration), cancel.Token));
    }

    if (calls != "empty")
    {
        reply.Add(await runner.RunReplyAsync(TimeSpan.FromSeconds(duration), cancel.Token));
    }
}

var shape = workload == Workload.A
    ? $"{options.Callers} buyers, each its own conversation (a new one after the dialogue's {Dialogue.Length} lines)"
    : $"{options.Conversations} conversations x {options.Callers / options.Conversations} streams each";
Console.WriteLine($"loadgen: workload {(workload == Workload.A ? "a" : "b")}: {shape}; {options.Connections} HTTP/2 connections over {targets.Count} server(s); "
    + $"{rounds} rounds of {duration.ToString(CultureInfo.InvariantCulture)} s per call (EmptyCall then Reply), after {warmup.ToString(CultureInfo.InvariantCulture)} s of warm-up; request ids {(requestIds ? "on" : "off")}");
Console.WriteLine();
Console.WriteLine(Report.Table(empty, reply));
if (databasePids.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine(Report.Database(empty, reply));
}

Console.WriteLine();
Console.WriteLine(Report.Rounds(empty, reply));
var problems = empty.Concat(reply).SelectMany(r => r.Problems).Take(10).ToList();
foreach (var problem in problems)
{
    Console.WriteLine("problem: " + problem);
}

return empty.Concat(reply).Any(r => r.Failed > 0 || r.Invalid > 0) ? 1 : 0;
