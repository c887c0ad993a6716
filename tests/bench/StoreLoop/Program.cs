using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptService.Storage;

// Usage: StoreLoop [--buyers 160] [--seconds 10] [--warmup 5] [--rounds 3] [--durability full|normal] [--request-ids] [--cache N]
var buyers = 160;
var seconds = 10.0;
var warmup = 5.0;
var rounds = 3;
var durability = StoreDurability.Full;
var requestIds = false;
int? cache = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--buyers": buyers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--durability": durability = Enum.Parse<StoreDurability>(args[++i], ignoreCase: true); break;
        case "--request-ids": requestIds = true; break;
        case "--cache": cache = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var folder = Path.Combine(Path.GetTempPath(), "storeloop-" + Guid.NewGuid().ToString("N"));
var options = new StoreOptions { DataFolder = folder, Durability = durability };
if (cache is { } entries)
{
    // Set by reflection so the tool also runs against a store without the setting (the A/B's "before").
    typeof(StoreOptions).GetProperty("CachedConversations")?.SetValue(options, entries);
}

const string Counter = "lamp_shop/bargain/台灯";
string[] counters = [Counter];
var state = new string('状', 200) + new string('s', 238); // 438 characters, the lamp shop's mid-dialogue state
var response = Encoding.UTF8.GetBytes(new string('答', 100));
StatisticEvent[] events = [new(StatisticKind.Variant, "greeting", "greeting/1"), new(StatisticKind.Variant, "ask_space", "ask_space/2")];
long turns = 0;
var stop = false;
var serial = 0;
try
{
    await using var store = SqliteConversationStore.Open(options, TimeProvider.System);
    async Task Buyer()
    {
        while (!Volatile.Read(ref stop))
        {
            var key = new ConversationKey("lamp_shop", "c-" + Interlocked.Increment(ref serial).ToString(CultureInfo.InvariantCulture));
            for (var turn = 0; turn < 7 && !Volatile.Read(ref stop); turn++)
            {
                var request = requestIds ? new RequestIdentity("r-" + turn.ToString(CultureInfo.InvariantCulture), "fingerprint") : RequestIdentity.None;
                await store.UpdateAsync(key, request, counters, (stored, used) =>
                    new StateChange(state, response, events, turn == 5 && used.GetValueOrDefault(Counter) < 1_000_000 ? [new StockUse(Counter, 1_000_000)] : null), default);
                Interlocked.Increment(ref turns);
            }
        }
    }

    var loops = Enumerable.Range(0, buyers).Select(_ => Task.Run(Buyer)).ToArray();
    await Task.Delay(TimeSpan.FromSeconds(warmup));
    var process = Process.GetCurrentProcess();
    Console.WriteLine($"store loop: {buyers} buyers, 7 turns a conversation, durability {durability}, request ids {(requestIds ? "on" : "off")}, cache {(cache?.ToString(CultureInfo.InvariantCulture) ?? "default")}; load average {File.ReadAllText("/proc/loadavg")[..14]}");
    for (var r = 0; r < rounds; r++)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var n0 = Interlocked.Read(ref turns);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var n = Interlocked.Read(ref turns) - n0;
        var cpu = (process.TotalProcessorTime - cpu0).TotalMicroseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}: {n / clock.Elapsed.TotalSeconds:F0} turns/s, {cpu / n:F1} CPU µs per turn"));
    }

    Volatile.Write(ref stop, true);
    await Task.WhenAll(loops);
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

return 0;
