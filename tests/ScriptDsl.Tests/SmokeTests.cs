namespace ScriptDsl.Tests;

public class SmokeTests
{
    [Fact]
    public void RuntimeAssemblyLoads() => Assert.Equal("ScriptDsl.Tests", typeof(SmokeTests).Assembly.GetName().Name);
}
