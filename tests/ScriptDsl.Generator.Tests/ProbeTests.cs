using ScriptDsl.Generator.Tests.Infrastructure;
namespace ScriptDsl.Generator.Tests;
public class ProbeTests
{
    [Fact]
    public void Probe()
    {
        var c = GeneratorHarness.Compile(GeneratorHarness.ReadScript("lamp_shop.csdsl"), "scripts/lamp_shop.csdsl", 70);
        var msg = (string.Join("\n", c.Diagnostics.Select(d => d.Id + " " + d.Start + " " + d.FormatMessage())));
        if (msg.Length > 0) Assert.Fail(msg);
        Assert.NotNull(c.Model);
    }
}
