using System.Globalization;

namespace ScriptDsl.Tests.Support;

/// <summary>
/// Runs a block under a culture that breaks culture-sensitive code: a comma decimal separator,
/// a dot group separator, Turkish or Arabic names.
/// </summary>
/// <remarks>
/// The product builds with InvariantGlobalization, but the test projects load ICU, so the real
/// tr-TR/ar-SA data is used. Where a culture cannot be created with its own data (a machine
/// without ICU), an invariant clone with the hostile number formats stands in.
/// </remarks>
public sealed class HostileCulture : IDisposable
{
    private readonly CultureInfo _previous;
    private readonly CultureInfo _previousUi;

    public HostileCulture(string name)
    {
        _previous = CultureInfo.CurrentCulture;
        _previousUi = CultureInfo.CurrentUICulture;
        CultureInfo culture = Create(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public static IEnumerable<object[]> Names => [["tr-TR"], ["ar-SA"]];

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _previous;
        CultureInfo.CurrentUICulture = _previousUi;
    }

    private static CultureInfo Create(string name)
    {
        try
        {
            var real = new CultureInfo(name);
            if (string.Equals(real.Name, name, StringComparison.Ordinal)
                && real.NumberFormat.NumberDecimalSeparator != ".")
            {
                return real;
            }
        }
        catch (CultureNotFoundException)
        {
        }

        var clone = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        clone.NumberFormat.NumberDecimalSeparator = ",";
        clone.NumberFormat.NumberGroupSeparator = ".";
        clone.NumberFormat.CurrencyDecimalSeparator = ",";
        clone.NumberFormat.NegativeSign = "\u200F-";
        return clone;
    }
}
