using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;

// The values of understanding (docs/design/understanding-spec.md): what a shop asks for (bound
// without the standard library), the library files, and what training produced. Values only, so
// the pipeline can tell that a library edit leaves a shop that does not use it untouched.
namespace ScriptDsl.Generator.Binding
{
    public sealed partial record ShopModel
    {
        /// <summary>Examples, labels, mappings, thresholds, units and expectations, as the script wrote them (ScriptBinder.Understanding.cs).</summary>
        public UnderstandingRequest Understanding { get; init; } = UnderstandingRequest.Empty;
    }

    /// <param name="Uses">The <c>use standard</c> names, in order.</param>
    /// <param name="Rules">One entry per intent a buyer's words choose, in intent order.</param>
    public sealed record UnderstandingRequest(
        EquatableArray<UseModel> Uses,
        EquatableArray<RuleUnderstandingModel> Rules,
        EquatableArray<ExpectModel> Expects,
        double Threshold,
        double Margin,
        EquatableArray<UnitModel> Units)
    {
        public const double DefaultThreshold = 0.55;

        public const double DefaultMargin = 0.10;

        public static readonly UnderstandingRequest Empty = new UnderstandingRequest(
            EquatableArray<UseModel>.Empty, EquatableArray<RuleUnderstandingModel>.Empty, EquatableArray<ExpectModel>.Empty, DefaultThreshold, DefaultMargin, EquatableArray<UnitModel>.Empty);
    }

    public sealed record UseModel(string Name, SourcePosition Pos);

    /// <param name="Intent">Index into <see cref="ShopModel.Intents"/>.</param>
    /// <param name="MapsBy">The standard intent name the rule maps onto when it says no <c>like</c>.</param>
    /// <param name="Like">The explicit <c>like NAME</c>, or null.</param>
    /// <param name="Triggers">The rule's trigger phrases, normalized, concepts expanded.</param>
    public sealed record RuleUnderstandingModel(
        int Intent,
        string MapsBy,
        string? Like,
        SourcePosition LikePos,
        string? Label,
        EquatableArray<ExampleText> Examples,
        EquatableArray<string> Triggers);

    /// <summary>An example as written, and where (for diagnostics).</summary>
    public sealed record ExampleText(string Text, SourcePosition Pos, int Length);

    public sealed record ExpectModel(string Text, SourcePosition TextPos, int TextLength, string Intent, SourcePosition IntentPos);

    /// <summary><c>unit "斤" = 0.5 kg</c> on slot <paramref name="Slot"/>; <paramref name="Factor"/> as written (invariant digits).</summary>
    public sealed record UnitModel(int Slot, string Word, string Factor);

    /// <summary>One <c>library</c> block of a standard library file.</summary>
    public sealed record LibraryModel(string Name, string Title, string Path, SourcePosition Pos, EquatableArray<LibraryIntentModel> Intents);

    public sealed record LibraryIntentModel(string Name, string Label, EquatableArray<string> Examples, int Line);

    /// <summary>A file's libraries (none for a shop script) and the problems found in them.</summary>
    public sealed record LibraryCompilation(string FilePath, EquatableArray<LibraryModel> Libraries, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A shop with exactly the libraries it uses (<paramref name="KnownLibraries"/>: every library's name, only when a use is unresolved, for "did you mean").</summary>
    public sealed record ShopUnderstandingInput(ShopCompilation Compilation, EquatableArray<LibraryModel> Libraries, EquatableArray<string> KnownLibraries);

    /// <summary>The trained classifier (<see cref="Tables"/>: ClassifierTables.Serialize(), "" for none) and per-intent labels.</summary>
    public sealed record UnderstandingModel(
        string Tables,
        double Threshold,
        double Margin,
        EquatableArray<IntentLabelModel> Intents,
        EquatableArray<TrainingExampleModel> Examples);

    public sealed record IntentLabelModel(string Label, string Standard);

    public sealed record TrainingExampleModel(string Intent, string Text, double Weight);

    /// <summary>What the source output of one script needs: the compilation, its understanding (null when it has errors) and the understanding's diagnostics.</summary>
    public sealed record ShopOutput(ShopCompilation Compilation, UnderstandingModel? Understanding, EquatableArray<DiagnosticInfo> Diagnostics);
}
