using System.Globalization;

namespace ScriptDsl.Tests.Support;

/// <summary>
/// Runs a block under a culture that breaks culture-sensitive code: a comma decimal separator,
/// a dot group separator, Turkish or Arabic names.
/// </summary>
/// <remarks>
/// The repository builds with InvariantGlobalization, so real tr-TR/ar-SA data is not loaded;
/// where the culture cannot be created with its own data, an invariant clone with the hostile
/// number formats stands in, which is what would trip culture-sensitive number parsing.
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
