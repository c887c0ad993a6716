namespace ScriptDsl.Generator.Tests;

public class SmokeTests
{
    [Fact]
    public void GeneratorTypeIsAnIncrementalGenerator() =>
        Assert.True(typeof(Microsoft.CodeAnalysis.IIncrementalGenerator).IsAssignableFrom(typeof(ScriptDsl.Generator.ScriptGenerator)));
}
