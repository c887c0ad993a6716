using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Binding;

namespace ScriptDsl.Generator.Emitting
{
    // The understanding parts of a shop's class (docs/design/understanding-spec.md §1, §3): intent
    // labels, slot unit factors, and the classifier, emitted as one string literal that Build()
    // deserializes once (a big array initializer costs the C# compiler far more).
    public static partial class ScriptEmitter
    {
        private const string UnderstandingNs = "global::ScriptDsl.Understanding.";

        /// <summary>The <c>{ Label = …, Standard = … }</c> initializer of intent <paramref name="index"/>, or nothing.</summary>
        private static string IntentLabel(UnderstandingModel? understanding, int index)
        {
            if (understanding is null || index >= understanding.Intents.Count)
            {
                return "";
            }

            var label = understanding.Intents[index];
            return " { Label = " + Lit(label.Label) + ", Standard = " + Lit(label.Standard) + " }";
        }

        /// <summary>The <c>{ UnitFactors = … }</c> initializer of a slot with declared units, or nothing.</summary>
        private static string UnitFactors(ShopModel shop, SlotModel slot)
        {
            var index = -1;
            for (var i = 0; i < shop.Slots.Count; i++)
            {
                if (ReferenceEquals(shop.Slots[i], slot))
                {
                    index = i;
                }
            }

            var units = shop.Understanding.Units.Where(u => u.Slot == index).ToList();
            if (units.Count == 0)
            {
                return "";
            }

            return " { UnitFactors = new global::ScriptDsl.Model.UnitFactor[] { "
                + string.Join(", ", units.Select(u => "new(" + Lit(u.Word) + ", " + u.Factor + "m)"))
                + " } }";
        }

        private static void EmitUnderstanding(CodeWriter w, ShopModel shop, UnderstandingModel? understanding)
        {
            if (understanding is null || understanding.Tables.Length == 0)
            {
                return;
            }

            w.Line("/// <summary>The intent classifier trained at build time from the triggers, the examples and the standard library intents the rules map onto.</summary>");
            w.Line("private static global::ScriptDsl.Model.UnderstandingDefinition Understanding() => new global::ScriptDsl.Model.UnderstandingDefinition(");
            w.Indent();
            w.Line("new " + UnderstandingNs + "IntentClassifier(" + UnderstandingNs + "ClassifierTables.Deserialize(ClassifierTables)),");
            w.Line("Threshold: " + Double(understanding.Threshold) + ",");
            w.Line("Margin: " + Double(understanding.Margin) + ",");
            w.Line("Examples: s_examples);");
            w.Dedent();
            w.Blank();
            w.Line("/// <summary>ClassifierTables.Serialize() of the trained classifier (" + Num(understanding.Examples.Count) + " training phrasings).</summary>");
            w.Line("private const string ClassifierTables = " + Lit(understanding.Tables) + ";");
            w.Blank();
            w.Line("/// <summary>Every training phrasing: the shop's triggers and examples (weight " + Double(UnderstandingCompiler.OwnWeight) + "), the standard library's (" + Double(UnderstandingCompiler.StandardWeight) + ").</summary>");
            w.Line("private static readonly " + UnderstandingNs + "TrainingExample[] s_examples = new " + UnderstandingNs + "TrainingExample[]");
            w.Open();
            foreach (var e in understanding.Examples)
            {
                w.Line("new(" + Lit(e.Intent) + ", " + Lit(e.Text) + ", " + Double(e.Weight) + "),");
            }

            w.CloseWith("};");
            w.Blank();
        }

        private static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture) + (value == System.Math.Floor(value) ? ".0" : "");
    }
}
