using System.Globalization;

namespace ScriptDsl.Generator.Tests.Infrastructure;

/// <summary>Runs a block under tr-TR (dotless i, comma decimals) to catch culture-sensitive code.</summary>
public sealed class HostileCulture : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentCulture;
    private readonly CultureInfo _previousUi = CultureInfo.CurrentUICulture;

    public HostileCulture(string name = "tr-TR")
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _previous;
        CultureInfo.CurrentUICulture = _previousUi;
    }
}
