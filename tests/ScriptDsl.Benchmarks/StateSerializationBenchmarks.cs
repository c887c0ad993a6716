using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Templates;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// A conversation state stored and loaded, as the service does once per turn: a mid-conversation
/// lamp_shop state (three slots, two questions asked, six rotation keys, one bargaining round on
/// the seed's two-lamp cart). Before: the reflection serializer the engine used until state v3
/// (<see cref="ReflectionStateJson"/>, a copy). The alternative considered: System.Text.Json source
/// generation with the same names (<see cref="SourceGeneratedStateJson"/>). After: the engine's
/// own <see cref="ConversationStateJson"/>.
/// </summary>
[MemoryDiagnoser]
public class StateSerializationBenchmarks
{
    private ConversationState _state = null!;
    private string _reflectionJson = "";
    private string _sourceGeneratedJson = "";
    private string _json = "";

    [GlobalSetup]
    public void Setup()
    {
        var shop = LampShop.Definition;
        var lines = new[] { "KT-880", "NB-201" }
            .Select(sku => shop.Items.Single(i => i.Sku == sku))
            .Select(i => new CartLineView(i.Sku, i.Name, i.PriceMinor, 1, i.Category))
            .ToList();
        var cart = new BuyerContext("new", new CartView(lines), new Dictionary<string, string>(StringComparer.Ordinal));
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        foreach (var line in new[] { "老板,请给我推荐一款卧室灯", "北欧风的", "20平左右, 喜欢圆的", "你推荐的这几款灯一共多少钱呀?", "900行不行", "亲, 发什么快递呀, 几天能到?" })
        {
            state = ConversationEngine.Turn(shop, state, line, cart).State;
        }

        _state = state;
        _reflectionJson = ReflectionStateJson.Serialize(state);
        _sourceGeneratedJson = SourceGeneratedStateJson.Serialize(state);
        _json = ConversationStateJson.Serialize(state);
    }

    /// <summary>The stored sizes in UTF-8 bytes, for docs/benchmarks.md.</summary>
    public string Describe() =>
        $"reflection (v2) {System.Text.Encoding.UTF8.GetByteCount(_reflectionJson)} B, source-generated {System.Text.Encoding.UTF8.GetByteCount(_sourceGeneratedJson)} B, "
        + $"ConversationStateJson (v3) {System.Text.Encoding.UTF8.GetByteCount(_json)} B\n{_reflectionJson}\n{_json}";

    [Benchmark(Baseline = true)]
    public string SerializeReflection() => ReflectionStateJson.Serialize(_state);

    [Benchmark]
    public string SerializeSourceGenerated() => SourceGeneratedStateJson.Serialize(_state);

    [Benchmark]
    public string Serialize() => ConversationStateJson.Serialize(_state);

    [Benchmark]
    public ConversationState DeserializeReflection() => ReflectionStateJson.Deserialize(_reflectionJson);

    [Benchmark]
    public ConversationState DeserializeSourceGenerated() => SourceGeneratedStateJson.Deserialize(_sourceGeneratedJson);

    [Benchmark]
    public ConversationState Deserialize() => ConversationStateJson.Deserialize(_json);
}

/// <summary>
/// The state serializer as it was before state v3 (ConversationStateJson at 99a1c54), kept here only
/// to measure against: reflection-based JsonSerializer with snake_case names, upgrade on load.
/// </summary>
internal static class ReflectionStateJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize(ConversationState state) => JsonSerializer.Serialize(state, Options);

    public static ConversationState Deserialize(string json)
    {
        ConversationState? state;
        try
        {
            state = JsonSerializer.Deserialize<ConversationState>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException("The stored conversation state is not valid JSON: " + e.Message, e);
        }

        if (state is null)
        {
            throw new FormatException("The stored conversation state is empty.");
        }

        return state with
        {
            ClarifyOptions = state.ClarifyOptions ?? [],
            Version = ConversationState.CurrentVersion,
            Slots = new Dictionary<string, string>(state.Slots ?? new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal),
            Rotation = new Dictionary<string, int>(state.Rotation ?? new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal),
            Asked = state.Asked ?? [],
            Notes = state.Notes ?? [],
            ShopId = state.ShopId ?? "",
            ScriptHash = state.ScriptHash ?? "",
            Stage = state.Stage ?? "",
            PendingSlot = state.PendingSlot ?? "",
            PendingIntent = state.PendingIntent ?? "",
            LastFallback = state.LastFallback ?? "",
            RecommendedSku = state.RecommendedSku ?? "",
            Bargaining = state.Bargaining is { GiftsGranted: not null } bargaining ? bargaining : ScriptDsl.Bargaining.BargainingState.Initial,
        };
    }
}

/// <summary>The alternative to the hand-written form: a source-generated context with the same names and the same upgrade on load.</summary>
internal static class SourceGeneratedStateJson
{
    public static string Serialize(ConversationState state) => JsonSerializer.Serialize(state, StateJsonContext.Default.ConversationState);

    public static ConversationState Deserialize(string json)
    {
        var state = JsonSerializer.Deserialize(json, StateJsonContext.Default.ConversationState) ?? throw new FormatException("The stored conversation state is empty.");
        // Its dictionaries already compare ordinally (the default for string keys): no copies.
        return state with { Version = ConversationState.CurrentVersion };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ConversationState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
