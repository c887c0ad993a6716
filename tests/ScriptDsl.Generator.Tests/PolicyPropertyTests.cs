using System.Runtime.Loader;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// Random policies, valid and broken, from a fixed seed: the compiler never crashes on them, and every
/// policy it accepts without an error is one the runtime's PolicyDefinition constructor accepts too
/// (the generated constructor call must never throw at start-up).
/// </summary>
public class PolicyPropertyTests
{
    private const string Shop = """
        shop t "T" {
          stage greet {
            on start | "你好"
              reply "您好呢"
          }
          item a sku "A-1" name "灯" price 100.00 category 客厅
          item b sku "B-1" name "小灯" price 500.00 category 卧室
          objection price on "贵" use policy p0
          fallback reply "稍等哦"
        }

        """;

    private static readonly string[] UsePeriods = { "", "use_period 2 years", "use_period 30 days", "use_period 1 year", "use_period 0 days" };
    private static readonly string[] MaxRounds = { "max_rounds 6", "max_rounds 1", "max_rounds 12", "", "max_rounds 0" };
    private static readonly string[] Floors =
    {
        "floor 80% of list", "floor 100% of list", "floor 0% of list", "floor 87.55% of list", "floor cart 30.00", "floor sku \"A-1\" 90.00",
        "floor category 卧室 90%", "floor tier vip 70%", "floor tier \"老客户\" 75.5%", "floor 101% of list", "floor sku \"A-1\" 120.00",
    };

    private static readonly string[] Coupons =
    {
        "coupon \"c1\" spend 300.00 off 20.00", "coupon \"c2\" spend 100.00 off 10.00 reply \"满{{ coupon.threshold | money }}减{{ coupon.amount | money }}哦\"",
        "coupon \"c3\" spend 50.00 off 50.00", "coupon \"c4\" spend 1000.00 off 100.00",
    };

    private static readonly string[] Gifts =
    {
        "gift \"g1\" cost 3.00", "gift \"g2\" cost 0.00 limit 0 per day", "gift \"g3\" cost 30.00 when cart.total >= 450.00 limit 5 per day",
        "gift \"g4\" cost 1.00 when buyer.tier == \"vip\"", "gift \"g5\" cost 2.00 when cart.total >= 200.00 and cart.count >= 2",
    };

    private static readonly string[] Kinds = { "explain", "coupon", "gift", "split", "counter", "counter beta 1.5", "counter conceder", "hold" };

    private static readonly string[] Handling =
    {
        "", "free_shipping grant reply \"包邮哦\" | \"都包邮的呢\"", "free_shipping as any_better", "percent_off as target", "percent_off as any_better",
        "quote reply \"一共{{ list_total | money }}元\"", "free_shipping grant",
    };

    private static string RandomPolicy(Random random)
    {
        var lines = new List<string>();
        void Maybe(string[] pool, double p)
        {
            if (random.NextDouble() < p)
            {
                lines.Add(pool[random.Next(pool.Length)]);
            }
        }

        lines.Add(UsePeriods[random.Next(random.NextDouble() < 0.9 ? 4 : UsePeriods.Length)]);
        lines.Add(MaxRounds[random.Next(random.NextDouble() < 0.9 ? 3 : MaxRounds.Length)]);
        lines.Add(Floors[random.Next(9)]); // a valid floor first: most policies should pass, some not
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            Maybe(Floors, 1);
        }

        for (var i = random.Next(0, 3); i > 0; i--)
        {
            Maybe(Coupons, 1);
        }

        for (var i = random.Next(0, 4); i > 0; i--)
        {
            Maybe(Gifts, 1);
        }

        Maybe(Handling, 0.7);
        Maybe(Handling, 0.3);
        var steps = random.Next(0, 5);
        for (var i = 0; i < steps; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length - 1)];
            var reply = kind.StartsWith("gift", StringComparison.Ordinal) ? "送您{{ gift.name }}哦" : kind == "split" ? "一天{{ per_day | money }}元" : "{{ total | money }}元哦";
            lines.Add("step s" + i + " " + kind + " reply \"" + reply + "\"");
        }

        if (random.NextDouble() < 0.9)
        {
            lines.Add("step h hold reply \"亲, 真的很抱歉呢\"");
        }

        if (random.NextDouble() < 0.9)
        {
            lines.Add("accept reply \"好的亲, {{ total | money }}元\"");
        }

        return "policy p0 for t {\n  " + string.Join("\n  ", lines) + "\n}\n";
    }

    [Fact]
    public void EveryPolicyTheCompilerAcceptsTheRuntimeAcceptsAndNothingCrashes()
    {
        var random = new Random(20261122);
        var accepted = new List<string>();
        var rejected = 0;
        for (var n = 0; n < 300; n++)
        {
            var policy = RandomPolicy(random);
            var result = GeneratorHarness.Compile(Shop + policy, "scripts/t.csdsl");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id is "SDSL0099" or "SDSL0299");
            Assert.All(result.Diagnostics, d => Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1, policy));
            if (result.Model is null)
            {
                rejected++;
            }
            else
            {
                accepted.Add(policy);
            }
        }

        // Both sides are exercised, or the test proves nothing.
        Assert.InRange(accepted.Count, 20, 280);
        Assert.InRange(rejected, 20, 280);

        // All accepted policies in one shop (p0 is the one the objection uses; the others only warn SDSL0308).
        var script = Shop + string.Concat(accepted.Select((p, i) => p.Replace("policy p0 for", "policy p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " for", StringComparison.Ordinal)));
        var run = GeneratorHarness.Run(new InMemoryText("/repo/scripts/t.csdsl", script));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error); // the harness raises warnings to errors
        Assert.Empty(run.CompileDiagnostics);
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        stream.Position = 0;
        var assembly = new AssemblyLoadContext("random-policies", isCollectible: true).LoadFromStream(stream);

        // Building the shop runs every PolicyDefinition constructor: none may throw.
        var shop = (ScriptDsl.Model.ShopDefinition)assembly.GetType("ScriptDsl.Generated.T", throwOnError: true)!.GetProperty("Definition")!.GetValue(null)!;
        Assert.Equal(accepted.Count, shop.Policies.Count);
        Assert.All(shop.Policies, p => Assert.Equal(ScriptDsl.Bargaining.StepKind.Hold, p.Steps[^1].Kind));
    }
}
