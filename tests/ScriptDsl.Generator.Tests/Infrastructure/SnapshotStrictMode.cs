using System.Runtime.CompilerServices;

namespace ScriptDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshooter writes a missing snapshot and passes; here a missing snapshot fails (strict mode),
/// so a test can never pass by creating its own expectation. To create new snapshots on purpose,
/// run with SNAPSHOOTER_STRICT_MODE=off (tests/README.md).
/// </summary>
internal static class SnapshotStrictMode
{
    [ModuleInitializer]
    internal static void TurnOn()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE")))
        {
            Environment.SetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE", "on");
        }
    }
}
