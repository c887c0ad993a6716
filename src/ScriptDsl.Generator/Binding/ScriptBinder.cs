using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Parsing;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// Syntax → ShopModel + diagnostics: resolves every name, type-checks conditions, compiles
    /// templates, normalizes trigger phrases and applies the structural checks and the
    /// service-standard lints. One instance per file compile.
    /// </summary>
    public sealed partial class ScriptBinder
    {
        private static readonly string[] AbsoluteWords = { "肯定", "保证", "保證", "绝对", "絕對", "百分百", "百分之百" };

        private static readonly string[] ForbiddenPhrases = { "不还价", "不還價", "您懂不懂", "你懂不懂", "爱买不买", "愛買不買", "不能还价", "不讲价" };

        /// <summary>Concepts may include concepts; deeper than this is reported like a cycle rather than risking the stack.</summary>
        private const int MaxConceptDepth = 64;

        private static readonly string[] ComplaintOrder = { "confirm", "apologize", "collect", "remedy", "opinion", "follow_up" };

        private readonly string _path;
        private readonly string _text;
        private readonly CompilerOptions _options;
        private readonly CancellationToken _cancellation;
        private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();
        private readonly Dictionary<int, HashSet<string>> _allowed;

        private readonly List<FactModel> _facts = new List<FactModel>();
        private readonly List<FactSymbol> _factSymbols = new List<FactSymbol>();
        private readonly List<SlotModel> _slots = new List<SlotModel>();
        private readonly List<SlotSyntax> _slotSyntax = new List<SlotSyntax>();
        private readonly List<TemplateModel> _templates = new List<TemplateModel>();
        private readonly List<ConditionModel> _conditions = new List<ConditionModel>();

        // Every reply compiled so far, for checks that need the names a reply uses (policy values).
        private readonly Dictionary<StringLit, CompiledTemplate> _compiledReplies = new Dictionary<StringLit, CompiledTemplate>();
        private string _className = "";
        private int _maxReplyLength;
        private string[] _particles = Array.Empty<string>();

        private ScriptBinder(ScriptFile file, CompilerOptions options, CancellationToken cancellation)
        {
            _path = file.Path;
            _text = file.Text;
            _options = options;
            _cancellation = cancellation;
            _allowed = ScanAllowComments(file.Text);
        }

        /// <summary>Compiles one file. Never throws (except for cancellation): an internal failure becomes SDSL0099.</summary>
        public static ShopCompilation Compile(ScriptFile file, CompilerOptions options, CancellationToken cancellation = default)
        {
            try
            {
                return new ScriptBinder(file, options, cancellation).Run();
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                var start = new SourcePosition(0, 1, 1);
                var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, start, start, ex.GetType().Name + ": " + ex.Message);
                return new ShopCompilation(file.Path, null, null, 1, 1, 0, 0, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
            }
        }

        public static string RelativePath(string path)
        {
            var normalized = path.Replace('\\', '/');
            var index = normalized.LastIndexOf("/scripts/", StringComparison.Ordinal);
            if (index >= 0)
            {
                return normalized.Substring(index + 1);
            }

            if (normalized.StartsWith("scripts/", StringComparison.Ordinal))
            {
                return normalized;
            }

            var slash = normalized.LastIndexOf('/');
            return slash >= 0 ? normalized.Substring(slash + 1) : normalized;
        }

        public static string Hash(string text)
        {
            using var sha = SHA256.Create();
            var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        private ShopCompilation Run()
        {
            var parsed = ScriptParser.Parse(_text, _path);
            if (parsed.Syntax is null)
            {
                _diagnostics.AddRange(parsed.Errors);

                return Result(null, null);
            }

            var file = parsed.Syntax;
            if (file.Shops.Count == 0 && file.Libraries.Count > 0)
            {
                // A standard library file: LibraryCompiler reads it; it is no shop.
                return Result(null, null);
            }

            if (file.Shops.Count == 0)
            {
                var start = new SourcePosition(0, 1, 1);
                Report(DiagnosticDescriptors.MissingShop, start, 0);
                return Result(null, null);
            }

            foreach (var extra in file.Shops.Skip(1))
            {
                Report(DiagnosticDescriptors.SecondShop, extra.Id, extra.Id.Name);
            }

            var shop = file.Shops[0];
            _cancellation.ThrowIfCancellationRequested();
            var model = BindShop(shop, file.Policies);
            var hasErrors = _diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            return Result(hasErrors ? null : model, shop);
        }

        private ShopCompilation Result(ShopModel? model, ShopSyntax? shop)
        {
            var sorted = _diagnostics
                .Distinct()
                .OrderBy(d => d.Start.Offset)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToArray();
            return new ShopCompilation(
                _path,
                model,
                shop?.Id.Name,
                shop?.Id.Pos.Line ?? 0,
                shop?.Id.Pos.Column ?? 0,
                shop?.Id.Pos.Offset ?? 0,
                shop?.Id.Name.Length ?? 0,
                new EquatableArray<DiagnosticInfo>(sorted));
        }

        // ------------------------------------------------------------------ reporting

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourcePosition at, int length, params string[] args)
        {
            var end = new SourcePosition(at.Offset + length, at.Line, at.Column + length);
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, _path, at, end, args));
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Ident at, params string[] args) =>
            Report(descriptor, at.Pos, at.Name.Length, args);

        private static string Line(SourcePosition p) => p.Line.ToString(CultureInfo.InvariantCulture);

        private static Dictionary<int, HashSet<string>> ScanAllowComments(string text)
        {
            var result = new Dictionary<int, HashSet<string>>();
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var at = lines[i].IndexOf("// sdsl:allow", StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                var ids = lines[i].Substring(at + "// sdsl:allow".Length)
                    .Split(new[] { ' ', ',', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries)
                    .Where(id => id.StartsWith("SDSL", StringComparison.Ordinal));
                result[i + 1] = new HashSet<string>(ids, StringComparer.Ordinal);
            }

            return result;
        }

        private bool IsAllowed(string id, params int[] lines)
        {
            foreach (var line in lines)
            {
                if (_allowed.TryGetValue(line, out var ids) && ids.Contains(id))
                {
                    return true;
                }

                if (_allowed.TryGetValue(line - 1, out var before) && before.Contains(id))
                {
                    return true;
                }
            }

            return false;
        }

        // ------------------------------------------------------------------ literals

        private bool TryMoney(NumberLit number, out long fen)
        {
            fen = 0;
            if (number.IsDate || number.Percent)
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length + (number.Percent ? 1 : 0), number.Text + (number.Percent ? "%" : ""), "money amount", "Write yuan like 599 or 599.00.");
                return false;
            }

            var dot = number.Text.IndexOf('.');
            var whole = dot < 0 ? number.Text : number.Text.Substring(0, dot);
            var fraction = dot < 0 ? "" : number.Text.Substring(dot + 1);
            if (fraction.Length > 2)
            {
                Report(DiagnosticDescriptors.MoneyPrecision, number.Pos, number.Text.Length, number.Text);
                return false;
            }

            if (whole.Length > 15 || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var yuan))
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length, number.Text, "money amount", "The amount is too large.");
                return false;
            }

            fen = yuan * 100 + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture));
            return true;
        }

        private bool TryInt(NumberLit number, string what, out long value)
        {
            value = 0;
            if (number.IsDate || number.Percent || number.Text.IndexOf('.') >= 0
                || !long.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length, number.Text + (number.Percent ? "%" : ""), what, "Write a whole number such as 48.");
                return false;
            }

            return true;
        }

        private bool TryPercent(NumberLit number, out int percent)
        {
            percent = 0;
            if (!number.Percent || number.Text.IndexOf('.') >= 0 || !int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out percent) || percent > 100)
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length + (number.Percent ? 1 : 0), number.Text + (number.Percent ? "%" : ""), "percentage", "Write a whole percentage from 0% to 100%, e.g. 90%.");
                return false;
            }

            return true;
        }

        private bool TryDate(NumberLit number, out int year, out int month, out int day)
        {
            year = month = day = 0;
            var parts = number.Text.Split('-');
            if (number.IsDate && parts.Length == 3 && parts[0].Length == 4
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out year)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out month)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out day)
                && year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                return true;
            }

            Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length, number.Text, "date", "Write a real date as year-month-day, e.g. 2026-12-12.");
            return false;
        }

        private static bool TryDecimal(NumberLit number, out decimal value) =>
            decimal.TryParse(number.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && !number.IsDate && !number.Percent;

        private EquatableArray<FlagModel> BindFlags(IReadOnlyList<FlagSyntax> flags) =>
            new EquatableArray<FlagModel>(flags.Select(f =>
            {
                CheckLints(f.Note, f.Pos.Line, null, checkParticles: false);
                return new FlagModel(Color: f.Color.Name, Note: f.Note.Value);
            }).ToArray());

        // ------------------------------------------------------------------ facts, slots, items, concepts

        private void BindFacts(IEnumerable<FactSyntax> facts)
        {
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateFact);
            foreach (var fact in facts)
            {
                if (!declared.First(fact.Name))
                {
                    continue;
                }

                var type = fact.Type.Name;
                var value = fact.Value;
                string Actual() => value.Text is not null ? "a text" : value.Number is not null ? (value.Number.IsDate ? "a date" : "a number") : "'" + value.Word!.Name + "'";
                void Mismatch(string hint) =>
                    Report(DiagnosticDescriptors.FactTypeMismatch, value.Pos, value.Text is not null ? value.Text.Raw.Length + 2 : value.Number is not null ? value.Number.Text.Length : value.Word!.Name.Length, fact.Name.Name, type, Actual(), hint);

                FactModel? model = null;
                switch (type)
                {
                    case "text" when value.Text is not null:
                        model = Fact(fact, ValueKind.Text, text: value.Text.Value);
                        break;
                    case "text":
                        Mismatch("Put the text in quotes: \"...\".");
                        break;
                    case "int" when value.Number is not null && !value.Number.IsDate:
                        if (TryInt(value.Number, "whole number", out var n))
                        {
                            model = Fact(fact, ValueKind.Int, text: n.ToString(CultureInfo.InvariantCulture), integer: n);
                        }

                        break;
                    case "int":
                        Mismatch("Write a whole number such as 48.");
                        break;
                    case "money" when value.Number is not null && !value.Number.IsDate:
                        if (TryMoney(value.Number, out var fen))
                        {
                            model = Fact(fact, ValueKind.Money, text: FormatMoney(fen), money: fen);
                        }

                        break;
                    case "money":
                        Mismatch("Write yuan such as 599 or 599.00.");
                        break;
                    case "date" when value.Number is not null && value.Number.IsDate:
                        if (TryDate(value.Number, out var y, out var m, out var d))
                        {
                            var display = y.ToString("0000", CultureInfo.InvariantCulture) + "-" + m.ToString("00", CultureInfo.InvariantCulture) + "-" + d.ToString("00", CultureInfo.InvariantCulture);
                            model = Fact(fact, ValueKind.Date, text: display, year: y, month: m, day: d);
                        }

                        break;
                    case "date":
                        Mismatch("Write a date as year-month-day, e.g. 2026-12-12.");
                        break;
                    case "bool" when value.Word is not null && (value.Word.Name == "true" || value.Word.Name == "false"):
                        model = Fact(fact, ValueKind.Bool, text: value.Word.Name, boolean: value.Word.Name == "true");
                        break;
                    case "bool":
                        Mismatch("Write true or false.");
                        break;
                }

                if (model is not null)
                {
                    _facts.Add(model);
                    var kind = model.Kind;
                    _factSymbols.Add(new FactSymbol(model.Name, kind, model.Constant, model.Text));
                }
            }
        }

        /// <summary>A fact's model: its kind and the one value its kind holds (the others keep their defaults).</summary>
        private static FactModel Fact(FactSyntax fact, ValueKind kind, string text,
            long integer = 0, long money = 0, int year = 1, int month = 1, int day = 1, bool boolean = false) =>
            new FactModel(
                Name: fact.Name.Name, Kind: kind, Text: text,
                Int: integer, Money: money, Year: year, Month: month, Day: day, Bool: boolean, Line: fact.Pos.Line);

        private static string FormatMoney(long fen)
        {
            var yuan = fen / 100;
            var rest = fen % 100;
            return rest == 0 ? yuan.ToString(CultureInfo.InvariantCulture) : yuan.ToString(CultureInfo.InvariantCulture) + "." + rest.ToString("00", CultureInfo.InvariantCulture);
        }

        private void BindSlots(IEnumerable<SlotSyntax> slots)
        {
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateSlot);
            var enumNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var slot in slots)
            {
                if (!declared.First(slot.Name))
                {
                    continue;
                }

                var kind = slot.Type.Kind switch
                {
                    "choice" => ValueKind.Choice,
                    "number" => ValueKind.Number,
                    "money" => ValueKind.Money,
                    _ => ValueKind.Text,
                };
                var enumName = Names.Pascal(slot.Name.Name);
                while (!enumNames.Add(enumName) || enumName == "Choices")
                {
                    enumName += "_";
                }

                // A choice written twice is SDSL0102 too, pointing at the slot.
                var choiceNames = new Declarations(this, DiagnosticDescriptors.DuplicateSlot);
                var choices = slot.Type.Choices
                    .Where(c => choiceNames.First(c.Value.Name, c.Value.Pos, c.Value.Name.Length, shown: slot.Name.Name + "." + c.Value.Name, firstAt: slot.Name.Pos))
                    .Select(c => new ChoiceModel(
                        Value: c.Value.Name,
                        EnumMember: Names.Identifier(c.Value.Name),
                        Synonyms: new EquatableArray<string>(c.Synonyms.Select(s => Integration.Normalize(s.Value)).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray())))
                    .ToArray();

                var ordinal = _slots.Count;
                var question = BindReplies(slot.Question.Replies, "ask_" + slot.Name.Name, TemplateContextKind.Reply, slot.Pos.Line, includeSlotsUpTo: ordinal);
                _slots.Add(new SlotModel(
                    Name: slot.Name.Name, Kind: kind, EnumName: enumName, Choices: new EquatableArray<ChoiceModel>(choices),
                    Units: new EquatableArray<string>(slot.Type.Units.Select(u => u.Value).ToArray()), Open: slot.Question.Open, Question: question, Line: slot.Pos.Line));
                _slotSyntax.Add(slot);
            }
        }

        private List<ItemModel> BindItems(IEnumerable<ItemSyntax> items, out Dictionary<string, int> index)
        {
            index = new Dictionary<string, int>(StringComparer.Ordinal);
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateItem);
            var result = new List<ItemModel>();
            foreach (var item in items)
            {
                if (!declared.First(item.Id))
                {
                    continue;
                }

                TryMoney(item.Price, out var fen);
                index[item.Id.Name] = result.Count;
                result.Add(new ItemModel(Id: item.Id.Name, Sku: item.Sku.Value, Name: item.Name.Value, PriceMinor: fen, Category: item.Category.Name, Point: item.Point?.Value ?? "", Line: item.Pos.Line));
            }

            return result;
        }

        private List<ConceptModel> BindConcepts(IEnumerable<ConceptSyntax> concepts, out Dictionary<string, int> index)
        {
            index = new Dictionary<string, int>(StringComparer.Ordinal);
            var syntax = new List<ConceptSyntax>();
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateConcept);
            foreach (var concept in concepts)
            {
                if (!declared.First(concept.Name))
                {
                    continue;
                }

                index[concept.Name.Name] = syntax.Count;
                syntax.Add(concept);
            }

            var known = index;
            var result = new List<ConceptModel>();
            foreach (var concept in syntax)
            {
                var phrases = new List<string>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var reported = false;

                void Expand(ConceptSyntax current, List<string> chain)
                {
                    foreach (var phrase in current.Phrases)
                    {
                        if (phrase.Text is not null)
                        {
                            if (seen.Add(phrase.Text.Value))
                            {
                                phrases.Add(phrase.Text.Value);
                            }
                        }
                        else if (phrase.Concept is not null)
                        {
                            if (!known.TryGetValue(phrase.Concept.Name, out var inner))
                            {
                                if (current == concept)
                                {
                                    Report(DiagnosticDescriptors.UnknownConcept, phrase.Concept, phrase.Concept.Name, Names.Suggest(phrase.Concept.Name, known.Keys));
                                }

                                continue;
                            }

                            if (chain.Contains(phrase.Concept.Name) || chain.Count > MaxConceptDepth)
                            {
                                if (!reported && (current == concept || phrase.Concept.Name == concept.Name.Name || chain.Count > MaxConceptDepth))
                                {
                                    reported = true;
                                    var path = chain.Count > MaxConceptDepth
                                        ? string.Join(" → ", chain.Take(3)) + " → … (more than " + MaxConceptDepth.ToString(CultureInfo.InvariantCulture) + " levels)"
                                        : string.Join(" → ", chain.Concat(new[] { phrase.Concept.Name }));
                                    Report(DiagnosticDescriptors.ConceptCycle, concept.Name, concept.Name.Name, path);
                                }

                                continue;
                            }

                            chain.Add(phrase.Concept.Name);
                            Expand(syntax[inner], chain);
                            chain.RemoveAt(chain.Count - 1);
                        }
                    }
                }

                Expand(concept, new List<string> { concept.Name.Name });
                var negations = concept.Negations.Select(n => Integration.Normalize(n.Value)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
                // Kept as written: triggers carry the normalized form; the concept lists what the author wrote.
                result.Add(new ConceptModel(Name: concept.Name.Name, Phrases: new EquatableArray<string>(phrases.ToArray()), Negations: new EquatableArray<string>(negations), Line: concept.Pos.Line));
            }

            return result;
        }

        // ------------------------------------------------------------------ replies and lints

        /// <param name="emit">False for replies only checked here (bargaining policies run elsewhere), so no unused template is emitted.</param>
        private ReplyModel BindReplies(RepliesSyntax replies, string owner, TemplateContextKind context, int statementLine, int includeSlotsUpTo = int.MaxValue, bool emit = true)
        {
            var variants = new List<VariantModel>();
            var slots = _slots.Take(Math.Min(includeSlotsUpTo, _slots.Count)).Select((s, i) => new SlotSymbol(s.Name, s.Kind, i, new EquatableArray<string>(s.Choices.Select(c => c.Value).ToArray())));
            var env = new TemplateEnvironment(new EquatableArray<FactSymbol>(_factSymbols), new EquatableArray<SlotSymbol>(slots.ToArray()), context) { HasPricing = _hasPricing };
            for (var i = 0; i < replies.Variants.Count; i++)
            {
                var literal = replies.Variants[i];
                var compiled = Integration.CompileTemplate(new TemplateSource(literal.Raw, _path, literal.RawStart), env);
                _compiledReplies[literal] = compiled;
                _diagnostics.AddRange(compiled.Diagnostics);
                CheckLints(literal, statementLine, compiled);
                if (!emit)
                {
                    continue;
                }

                variants.Add(new VariantModel(Id: owner + "/" + (i + 1).ToString(CultureInfo.InvariantCulture), Template: _templates.Count, Line: literal.Pos.Line));
                _templates.Add(new TemplateModel(Source: literal.Value, Line: literal.Pos.Line, Body: compiled.Body));
            }

            return new ReplyModel(Variants: new EquatableArray<VariantModel>(variants.ToArray()));
        }

        /// <param name="checkParticles">False for order-flag notes, which the packer reads, not the buyer.</param>
        private void CheckLints(StringLit literal, int statementLine, CompiledTemplate? compiled, bool checkParticles = true)
        {
            var text = compiled?.LiteralText ?? literal.Value;
            var lines = new[] { statementLine, literal.Pos.Line };

            void Find(string[] words, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor)
            {
                if (IsAllowed(descriptor.Id, lines))
                {
                    return;
                }

                foreach (var word in words)
                {
                    if (text.IndexOf(word, StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    var at = literal.Raw.IndexOf(word, StringComparison.Ordinal);
                    var pos = at < 0 ? literal.Pos : new SourcePosition(literal.RawStart.Offset + at, literal.RawStart.Line, literal.RawStart.Column + at);
                    Report(descriptor, pos, word.Length, word);
                }
            }

            Find(AbsoluteWords.Where(w => !AbsoluteWords.Any(o => o != w && o.Length > w.Length && o.Contains(w) && text.Contains(o))).ToArray(), DiagnosticDescriptors.AbsolutePromise);
            Find(ForbiddenPhrases, DiagnosticDescriptors.ForbiddenPhrase);
            CheckFigures(literal, lines);
            if (checkParticles && _particles.Length > 0 && !_particles.Any(p => text.IndexOf(p, StringComparison.Ordinal) >= 0)
                && !IsAllowed(DiagnosticDescriptors.NoSofteningParticle.Id, lines))
            {
                Report(DiagnosticDescriptors.NoSofteningParticle, literal.Pos, 1, string.Join(" ", _particles));
            }

            var length = compiled?.EstimatedLength ?? literal.Value.Length;
            if (length > _maxReplyLength && !IsAllowed(DiagnosticDescriptors.ReplyTooLong.Id, lines))
            {
                Report(DiagnosticDescriptors.ReplyTooLong, literal.Pos, 1, length.ToString(CultureInfo.InvariantCulture), _maxReplyLength.ToString(CultureInfo.InvariantCulture));
            }
        }

        // ------------------------------------------------------------------ recommend and conditions

        private RecommendModel BindRecommend(RecommendSyntax recommend, string name, Dictionary<string, int> itemIndex)
        {
            var rules = new List<RuleModel>();
            if (recommend.Rules.Count == 0)
            {
                Report(DiagnosticDescriptors.EmptyRecommend, recommend.Pos, "recommend".Length, name);
            }

            foreach (var rule in recommend.Rules)
            {
                var condition = rule.When is null ? -1 : AddCondition(rule.When, SourceText(rule.When.Pos, rule.Item.Pos), rule.Pos.Line);

                if (!itemIndex.TryGetValue(rule.Item.Name, out var item))
                {
                    Report(DiagnosticDescriptors.UnknownItem, rule.Item, rule.Item.Name, Names.Suggest(rule.Item.Name, itemIndex.Keys));
                    item = -1;
                }

                rules.Add(new RuleModel(Condition: condition, Item: item, Line: rule.Pos.Line));
            }

            if (recommend.Replies.Variants.Count == 0)
            {
                Report(DiagnosticDescriptors.MissingReplyVariant, recommend.Pos, "recommend".Length, name);
            }

            return new RecommendModel(Rules: new EquatableArray<RuleModel>(rules), Reply: BindReplies(recommend.Replies, name, TemplateContextKind.Recommend, recommend.Pos.Line));
        }

        // ------------------------------------------------------------------ structure checks

        private void CheckReachability(List<StageModel> stages, List<IntentModel> intents, List<MemberSyntax> stageSyntax, int initial)
        {
            if (stages.Count == 0)
            {
                return;
            }

            var reached = new bool[stages.Count];
            var queue = new Queue<int>();
            void Visit(int stage)
            {
                if (stage >= 0 && stage < reached.Length && !reached[stage])
                {
                    reached[stage] = true;
                    queue.Enqueue(stage);
                }
            }

            Visit(initial);

            // Global intents (quick, objections, ...) may move the conversation from anywhere.
            foreach (var intent in intents.Where(i => i.Kind != "Stage"))
            {
                Visit(intent.Then);
                Visit(intent.Next);
            }

            while (queue.Count > 0)
            {
                var stage = queue.Dequeue();
                Visit(stages[stage].Next);
                foreach (var i in stages[stage].Intents)
                {
                    Visit(intents[i].Then);
                    Visit(intents[i].Next);
                }
            }

            for (var i = 0; i < stages.Count; i++)
            {
                if (!reached[i])
                {
                    var name = stageSyntax[i] switch
                    {
                        StageSyntax s => s.Name,
                        RecommendSyntax r => r.Name ?? new Ident(r.Pos, "recommend"),
                        _ => null,
                    };
                    if (name is not null)
                    {
                        Report(DiagnosticDescriptors.UnreachableStage, name.Pos, name.Name.Length, stages[i].Name);
                    }
                }
            }
        }

        /// <summary>
        /// The presale standard: ask at least questions_before_recommend questions before recommending.
        /// An intent that moves to a recommend block (then, or its stage's next) must ask that many slots.
        /// </summary>
        private void CheckQuestionsBeforeRecommend(List<StageModel> stages, List<IntentModel> intents, List<MemberSyntax> stageSyntax, int minQuestions)
        {
            foreach (var syntax in stageSyntax.OfType<StageSyntax>())
            {
                foreach (var intentSyntax in syntax.Intents)
                {
                    var intent = intents.FirstOrDefault(i => i.Kind == "Stage" && i.Line == intentSyntax.Pos.Line && i.Name == (intentSyntax.Name?.Name ?? syntax.Name.Name));
                    if (intent is null)
                    {
                        continue;
                    }

                    var target = intent.Then >= 0 ? intent.Then : intent.AskSlots.Count == 0 ? intent.Next : -1;
                    if (target < 0 || !stages[target].IsRecommend || intent.AskSlots.Count >= minQuestions)
                    {
                        continue;
                    }

                    if (IsAllowed(DiagnosticDescriptors.TooFewQuestionsBeforeRecommend.Id, intentSyntax.Pos.Line))
                    {
                        continue;
                    }

                    var at = intentSyntax.Body.Then ?? intentSyntax.Name ?? new Ident(intentSyntax.Pos, "on");
                    Report(DiagnosticDescriptors.TooFewQuestionsBeforeRecommend, at.Pos, at.Name.Length, intent.Name, stages[target].Name,
                        intent.AskSlots.Count.ToString(CultureInfo.InvariantCulture), minQuestions.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        private void CheckStagesReply(List<StageModel> stages, List<IntentModel> intents, List<MemberSyntax> stageSyntax)
        {
            for (var i = 0; i < stages.Count; i++)
            {
                if (stages[i].IsRecommend || stageSyntax[i] is not StageSyntax syntax)
                {
                    continue;
                }

                var says = stages[i].Intents.Any(x => intents[x].Reply is not null || intents[x].AskSlots.Count > 0);
                if (!says)
                {
                    Report(DiagnosticDescriptors.StageWithoutReply, syntax.Name, syntax.Name.Name);
                }
            }
        }

        private void CheckComplaintOrder(ComplaintSyntax complaint)
        {
            var last = -1;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var step in complaint.Steps)
            {
                var rank = Array.IndexOf(ComplaintOrder, step.Kind);
                if (!seen.Add(step.Kind))
                {
                    Report(DiagnosticDescriptors.ComplaintStepOrder, step.Pos, step.Kind.Length, step.Kind, "appears twice");
                }
                else if (rank < last)
                {
                    Report(DiagnosticDescriptors.ComplaintStepOrder, step.Pos, step.Kind.Length, step.Kind, "comes after '" + ComplaintOrder[last] + "'");
                }

                last = Math.Max(last, rank);
            }

            foreach (var required in new[] { "confirm", "apologize", "remedy" })
            {
                if (!seen.Contains(required))
                {
                    Report(DiagnosticDescriptors.ComplaintStepOrder, complaint.Pos, "complaint".Length, required, "is missing");
                }
            }
        }

        private EquatableArray<ComplaintStepModel> BindComplaintSteps(ComplaintSyntax complaint, Func<IReadOnlyList<Ident>, EquatableArray<int>> resolveSlots)
        {
            var steps = new List<ComplaintStepModel>();
            foreach (var step in complaint.Steps)
            {
                var kind = step.Kind == "follow_up" ? "FollowUp" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(step.Kind);
                var reply = step.Replies is null
                    ? new ReplyModel(EquatableArray<VariantModel>.Empty)
                    : BindReplies(step.Replies, "complaint." + step.Kind, TemplateContextKind.Reply, step.Pos.Line);
                var remedy = "None";
                var remedyName = "";
                long amount = 0;
                var percent = 0;
                switch (step.Remedy)
                {
                    case "coupon":
                        remedy = "Coupon";
                        remedyName = step.CouponName?.Value ?? "";
                        if (step.Amount is not null)
                        {
                            TryMoney(step.Amount, out amount);
                        }

                        break;
                    case "discount":
                        remedy = "Discount";
                        if (step.Amount is not null)
                        {
                            TryPercent(step.Amount, out percent);
                        }

                        break;
                    case "thanks":
                        remedy = "Thanks";
                        break;
                }

                steps.Add(new ComplaintStepModel(Kind: kind, Reply: reply, AskSlots: resolveSlots(step.Ask), Remedy: remedy, RemedyName: remedyName, RemedyAmountMinor: amount, RemedyPercent: percent, Line: step.Pos.Line));
            }

            return new EquatableArray<ComplaintStepModel>(steps);
        }
    }
}
