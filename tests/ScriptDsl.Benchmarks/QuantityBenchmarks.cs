using BenchmarkDotNet.Attributes;
using ScriptDsl.Model;
using ScriptDsl.Text;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Reading the quantities of one buyer message for the slots of the apparel and lamp shops: heights
/// with a declared 米, weights with a declared 斤, money and area with approximate forms.
/// </summary>
[MemoryDiagnoser]
public class QuantityBenchmarks
{
    private static readonly QuantityExtractor Height = new(["cm", "厘米", "公分"], [new UnitFactor("米", 100m)]);
    private static readonly QuantityExtractor Weight = new(["kg", "公斤"], [new UnitFactor("斤", 0.5m)]);
    private static readonly QuantityExtractor Money = new(QuantityExtractor.MoneyUnits, digitsAfterUnitAreDecimals: true);
    private static readonly QuantityExtractor Area = new(QuantityExtractor.AreaUnits);

    private readonly List<QuantityReading> _readings = new(16);

    /// <summary>The message, normalized once: 一米七 → 170, 110斤 → 55, 三四百块 → 300–400, 20到30平 → 20–30.</summary>
    public string Message { get; } = TextNormalizer.Normalize("我身高一米七, 体重110斤, 预算两百多到三四百块吧, 客厅20到30平");

    /// <summary>The four slots' unit readings of one message.</summary>
    [Benchmark]
    public int FourSlots()
    {
        _readings.Clear();
        Height.FindReadings(Message, _readings);
        Weight.FindReadings(Message, _readings);
        Money.FindReadings(Message, _readings);
        Area.FindReadings(Message, _readings);
        return _readings.Count;
    }

    /// <summary>A bare answer to the budget question.</summary>
    [Benchmark]
    public bool WholeAnswer() => QuantityExtractor.Unitless.TryReadWhole("不超过800吧", out _);
}
