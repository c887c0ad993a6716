using System.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// The one slow test: a real `dotnet build` of a tiny project wired like the service (the generator
/// as analyzer, the .targets imported, scripts as AdditionalFiles) fails on a broken script with the
/// line an author sees: scripts/x.csdsl(line,col): error SDSLxxxx: ...
/// </summary>
public class BuildTests
{
    [Fact]
    public async Task BrokenScriptFailsTheBuildWithFileLineColumnAndId()
    {
        var root = GeneratorHarness.RepoRoot;
        var dir = Path.Combine(Path.GetTempPath(), "sdsl-build-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "scripts"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "Probe.csproj"), $$"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{{root}}/src/ScriptDsl/ScriptDsl.csproj" />
                    <ProjectReference Include="{{root}}/src/ScriptDsl.Generator/ScriptDsl.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                    <AdditionalFiles Include="scripts/**/*.csdsl" />
                  </ItemGroup>
                  <Import Project="{{root}}/src/ScriptDsl.Generator/build/ScriptDsl.Generator.targets" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "Program.cs"), "System.Console.WriteLine(ScriptDsl.Generated.ShopCatalog.Shops.Count);\n");
            File.WriteAllText(Path.Combine(dir, "scripts", "broken.csdsl"), "shop broken \"坏\" {\n  stage greet {\n    on start\n      replly \"你好\"\n  }\n  fallback reply \"好的\"\n}\n");

            var start = new ProcessStartInfo("dotnet", "build --nologo -p:BuildProjectReferences=false -clp:NoSummary")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("dotnet build did not finish in 4 minutes");
            }

            var output = await stdout + await stderr;

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("scripts/broken.csdsl(4,7): error SDSL0001: Unexpected 'replly' here (did you mean 'reply'?);", output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is cleaned up by the OS.
            }
        }
    }
}
