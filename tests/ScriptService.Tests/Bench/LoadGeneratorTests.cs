using System.Globalization;
using LoadGen;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Bench;

/// <summary>
/// The load generator of tests/bench/service-load.sh is a measuring tool: these tests check that what
/// it counts is true, against the real service on loopback (not how fast it is). Short runs, few buyers.
/// </summary>
public sealed class LoadGeneratorTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Workload_a_every_answer_is_its_own_conversation_s_and_the_counts_add_up()
    {
        var folder = ServiceServer.NewDataFolder();
        try
        {
            await using var server = await ServiceServer.StartAsync(folder, "--interop");
            var options = new LoadOptions { Targets = [server.Address], Callers = 8, Connections = 2, Workload = Workload.A, RequestIds = true };
            using var runner = new LoadRunner(options, [Environment.ProcessId]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await runner.PrepareAsync(cts.Token);

            var empty = await runner.RunEmptyAsync(Run, cts.Token);
            var reply = await runner.RunReplyAsync(Run, cts.Token);

            Assert.True(empty.Completed > 0);
            Assert.Equal(0, empty.Failed);
            Assert.Equal(0, empty.Invalid);
            Assert.Equal(0, empty.ConversationsStarted);
            Assert.True(reply.Completed >= options.Callers, $"{reply.Completed} replies from {options.Callers} buyers");
            Assert.Equal(0, reply.Failed);
            Assert.True(reply.Invalid == 0, string.Join("\n", reply.Problems));
            Assert.Equal(reply.Completed, reply.LatencyTicks.Length);
            Assert.True(reply.ServerCpu is { } cpu && cpu > TimeSpan.Zero);

            // Every conversation the generator started is in the store, plus the reference one; and a
            // buyer only starts a new conversation after finishing a dialogue, so the turns add up:
            // at least (started - buyers) full dialogues and a line of each buyer's last, at most all started ones full.
            var stats = await server.CallAsync(server.Api.GetStatsAsync, new GetStatsRequest { ShopId = Dialogue.Shop });
            Assert.Equal(reply.ConversationsStarted + 1, stats.Conversations);
            Assert.InRange(reply.Completed,
                ((long)(reply.ConversationsStarted - options.Callers) * Dialogue.Length) + options.Callers,
                (long)reply.ConversationsStarted * Dialogue.Length);
            Assert.True(reply.PercentileMs(50) <= reply.PercentileMs(99) && reply.PercentileMs(99) <= reply.PercentileMs(100));
        }
        finally
        {
            ServiceServer.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Workload_b_streams_share_conversations_and_every_answer_reports_its_own_budget()
    {
        var folder = ServiceServer.NewDataFolder();
        try
        {
            await using var server = await ServiceServer.StartAsync(folder, "--interop");
            var options = new LoadOptions { Targets = [server.Address], Callers = 8, Conversations = 2, Connections = 2, Workload = Workload.B };
            using var runner = new LoadRunner(options);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await runner.PrepareAsync(cts.Token);

            var reply = await runner.RunReplyAsync(Run, cts.Token);

            Assert.True(reply.Completed >= options.Callers);
            Assert.Equal(0, reply.Failed);
            Assert.True(reply.Invalid == 0, string.Join("\n", reply.Problems));
            Assert.Equal(options.Conversations, reply.ConversationsStarted);
            Assert.Null(reply.ServerCpu);
            var stats = await server.CallAsync(server.Api.GetStatsAsync, new GetStatsRequest { ShopId = Dialogue.Shop });
            Assert.Equal(options.Conversations + 1, stats.Conversations);
        }
        finally
        {
            ServiceServer.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task The_checks_refuse_an_answer_of_another_conversation_or_of_another_turn()
    {
        var folder = ServiceServer.NewDataFolder();
        try
        {
            await using var server = await ServiceServer.StartAsync(folder);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var validator = await ReplyValidator.LearnAsync(server.Api, "reference", ServiceServer.Timeout, cts.Token);

            // A real conversation, walked to just past its budget line.
            var budget = Dialogue.Budget(7);
            var answers = new List<ReplyResponse>();
            for (var turn = 0; turn <= Dialogue.BudgetTurn + 1; turn++)
            {
                answers.Add(await server.ReplyAsync(new ReplyRequest { ShopId = Dialogue.Shop, ConversationId = "buyer-7", Message = Dialogue.Line(turn, budget) }));
            }

            for (var turn = 0; turn < answers.Count; turn++)
            {
                Assert.Null(validator.Check(answers[turn], turn, budget));
            }

            // The same answers, taken for another buyer's (another budget) or for another turn's.
            var other = Dialogue.Budget(8);
            var wrongBuyer = validator.Check(answers[Dialogue.BudgetTurn], Dialogue.BudgetTurn, other);
            Assert.NotNull(wrongBuyer);
            Assert.Contains(other.ToString(CultureInfo.InvariantCulture), wrongBuyer, StringComparison.Ordinal);
            Assert.NotNull(validator.CheckBudget(answers[Dialogue.BudgetTurn + 1], Dialogue.BudgetTurn + 1, other));
            Assert.NotNull(validator.Check(answers[0], Dialogue.BudgetTurn, budget));
            Assert.NotNull(validator.Check(answers[Dialogue.BudgetTurn], 0, budget));
        }
        finally
        {
            ServiceServer.DeleteFolder(folder);
        }
    }
}
