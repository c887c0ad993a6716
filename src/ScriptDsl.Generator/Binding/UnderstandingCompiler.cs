using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Understanding;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// A bound shop + the standard libraries it uses → its trained classifier, labels and the
    /// <c>expect</c> checks (docs/design/understanding-spec.md §1-3). Deterministic: the same
    /// input always gives the same tables.
    /// </summary>
    public static class UnderstandingCompiler
    {
        /// <summary>A shop's own triggers and examples count this many times a standard library example.</summary>
        public const double OwnWeight = 2.0;

        public const double StandardWeight = 1.0;

        /// <summary>
        /// The classifier class of negated mentions (「不贵」 when <c>concept price = "贵" negated by "不"</c>):
        /// no intent of the shop has this name (it is no identifier), so the engine maps it to no intent
        /// and understands nothing, the way a negated trigger fires nothing. Like an out-of-scope intent.
        /// </summary>
        public const string NegatedClass = "~negated";

        /// <summary>The pipeline's join: only the libraries the shop names, so other libraries' edits leave it equal.</summary>
        public static ShopUnderstandingInput Resolve(ShopCompilation compilation, EquatableArray<LibraryModel> libraries)
        {
            var uses = compilation.Model?.Understanding.Uses ?? EquatableArray<UseModel>.Empty;
            var used = libraries.Where(l => uses.Any(u => u.Name == l.Name)).ToArray();
            var unresolved = uses.Any(u => !libraries.Any(l => l.Name == u.Name));
            return new ShopUnderstandingInput(
                compilation,
                new EquatableArray<LibraryModel>(used),
                unresolved ? new EquatableArray<string>(libraries.Select(l => l.Name).ToArray()) : EquatableArray<string>.Empty);
        }

        /// <summary>Never throws (except for cancellation): an internal failure becomes SDSL0099 at the shop.</summary>
        public static ShopOutput Run(ShopUnderstandingInput input, CancellationToken cancellation = default)
        {
            var model = input.Compilation.Model;
            if (model is null)
            {
                return new ShopOutput(input.Compilation, null, EquatableArray<DiagnosticInfo>.Empty);
            }

            try
            {
                return RunCore(input, model, cancellation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var at = new SourcePosition(0, model.ShopLine, 1);
                var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, model.SourcePath, at, at, ex.GetType().Name + ": " + ex.Message);
                return new ShopOutput(input.Compilation, null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
            }
        }

        private static ShopOutput RunCore(ShopUnderstandingInput input, ShopModel model, CancellationToken cancellation)
        {
            var request = model.Understanding;
            var diagnostics = new List<DiagnosticInfo>();
            void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourcePosition at, int length, params string[] args) =>
                diagnostics.Add(DiagnosticInfo.Create(descriptor, model.SourcePath, at, new SourcePosition(at.Offset + length, at.Line, at.Column + length), args));

            // The standard intents of the libraries in use; the first library named wins a name both have.
            var standard = new Dictionary<string, LibraryIntentModel>(StringComparer.Ordinal);
            var usedNames = new List<string>();
            foreach (var use in request.Uses)
            {
                var library = input.Libraries.FirstOrDefault(l => l.Name == use.Name);
                if (library is null)
                {
                    Report(DiagnosticDescriptors.UnknownStandardLibrary, use.Pos, use.Name.Length, use.Name, Names.Suggest(use.Name, input.KnownLibraries));
                    continue;
                }

                usedNames.Add(library.Name);
                foreach (var intent in library.Intents)
                {
                    if (!standard.ContainsKey(intent.Name))
                    {
                        standard[intent.Name] = intent;
                    }
                }
            }

            var labels = model.Intents.Select(i => new IntentLabelModel(i.Name, "")).ToArray();
            var examples = new List<TrainingExampleModel>();
            foreach (var rule in request.Rules)
            {
                cancellation.ThrowIfCancellationRequested();
                var name = model.Intents[rule.Intent].Name;
                var mapped = "";
                if (rule.Like is not null)
                {
                    if (standard.ContainsKey(rule.Like))
                    {
                        mapped = rule.Like;
                    }
                    else
                    {
                        var where = usedNames.Count == 0
                            ? "this shop uses no standard library (add 'use standard presale')"
                            : "standard " + string.Join(", ", usedNames);
                        Report(DiagnosticDescriptors.UnknownStandardIntent, rule.LikePos, rule.Like.Length, rule.Like, where, Names.Suggest(rule.Like, standard.Keys));
                    }
                }
                else if (standard.ContainsKey(rule.MapsBy))
                {
                    mapped = rule.MapsBy;
                }

                var label = rule.Label;
                if (string.IsNullOrEmpty(label) && mapped.Length > 0 && standard[mapped].Label.Length > 0)
                {
                    label = standard[mapped].Label;
                }

                labels[rule.Intent] = new IntentLabelModel(string.IsNullOrEmpty(label) ? name : label!, mapped);
                foreach (var trigger in rule.Triggers)
                {
                    examples.Add(new TrainingExampleModel(name, trigger, OwnWeight));
                }

                foreach (var example in rule.Examples)
                {
                    examples.Add(new TrainingExampleModel(name, example.Text, OwnWeight));
                }

                if (mapped.Length > 0)
                {
                    foreach (var example in standard[mapped].Examples)
                    {
                        examples.Add(new TrainingExampleModel(name, example, StandardWeight));
                    }
                }
            }

            // The classifier's intents: every intent with something to learn from, in declaration order,
            // then the negated mentions of the triggers' concepts.
            var trained = new HashSet<string>(examples.Select(e => e.Intent), StringComparer.Ordinal);
            var classes = model.Intents.Select(i => i.Name).Where(trained.Contains).Distinct(StringComparer.Ordinal).ToList();
            var negated = NegatedMentions(model);
            ClassifierTables? tables = null;
            if (classes.Count > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                var training = examples.Select(e => new TrainingExample(e.Intent, e.Text, e.Weight)).ToList();
                if (negated.Count > 0)
                {
                    classes.Add(NegatedClass);
                    training.AddRange(negated.Select(text => new TrainingExample(NegatedClass, text, OwnWeight)));
                }

                tables = ClassifierTrainer.Train(classes, training);
            }

            CheckExpectations(model, request, tables, labels, Report);
            var hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            var understanding = hasErrors
                ? null
                : new UnderstandingModel(
                    tables?.Serialize() ?? "",
                    request.Threshold,
                    request.Margin,
                    new EquatableArray<IntentLabelModel>(labels),
                    new EquatableArray<TrainingExampleModel>(examples.ToArray()));
            return new ShopOutput(input.Compilation, understanding, new EquatableArray<DiagnosticInfo>(diagnostics.OrderBy(d => d.Start.Offset).ThenBy(d => d.Id, StringComparer.Ordinal).ToArray()));
        }

        /// <summary>Every negation prefix before every phrase of the concepts the shop's triggers use, normalized, in order, once each.</summary>
        public static IReadOnlyList<string> NegatedMentions(ShopModel model)
        {
            var result = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var concepts = new HashSet<int>(model.Triggers.Where(t => t.Concept >= 0 && t.Negations.Count > 0).Select(t => t.Concept));
            foreach (var trigger in model.Triggers)
            {
                if (!concepts.Contains(trigger.Concept))
                {
                    continue;
                }

                foreach (var negation in trigger.Negations)
                {
                    var text = negation + trigger.Phrase;
                    if (seen.Add(text))
                    {
                        result.Add(text);
                    }
                }
            }

            return result;
        }

        private delegate void Reporter(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourcePosition at, int length, params string[] args);

        private static void CheckExpectations(ShopModel model, UnderstandingRequest request, ClassifierTables? tables, IntentLabelModel[] labels, Reporter report)
        {
            if (request.Expects.Count == 0)
            {
                return;
            }

            var classifier = tables is null ? null : new IntentClassifier(tables);
            foreach (var expect in request.Expects)
            {
                var accepted = new HashSet<int>();
                for (var i = 0; i < model.Intents.Count; i++)
                {
                    if (model.Intents[i].Name == expect.Intent || labels[i].Standard == expect.Intent)
                    {
                        accepted.Add(i);
                    }
                }

                if (accepted.Count == 0)
                {
                    var known = model.Intents.Select(i => i.Name).Concat(labels.Select(l => l.Standard).Where(s => s.Length > 0)).Distinct(StringComparer.Ordinal);
                    report(DiagnosticDescriptors.UnknownExpectIntent, expect.IntentPos, expect.Intent.Length, expect.Intent, Names.Suggest(expect.Intent, known));
                    continue;
                }

                var outcome = Decide(model, classifier, request, Integration.Normalize(expect.Text));
                if (!accepted.Contains(outcome.Intent))
                {
                    report(DiagnosticDescriptors.ExpectMiss, expect.TextPos, expect.TextLength, expect.Text, expect.Intent, outcome.Description);
                }
            }
        }

        /// <summary>What the engine decides for a message in the shop's first stage: <see cref="Intent"/> -1 for a clarifying question or the fallback.</summary>
        public readonly struct Outcome
        {
            public Outcome(int intent, string description)
            {
                Intent = intent;
                Description = description;
            }

            public int Intent { get; }

            public string Description { get; }
        }

        /// <summary>The engine's decision (docs/design/understanding-spec.md §4, steps 2 and 4): a trigger hit, else the classifier with the shop's threshold and margin.</summary>
        public static Outcome Decide(ShopModel model, IntentClassifier? classifier, UnderstandingRequest request, string normalized)
        {
            var hit = TriggerMatching.Decide(model, normalized, model.InitialStage, out var phrase);
            if (hit >= 0)
            {
                return new Outcome(hit, "'" + model.Intents[hit].Name + "' (its trigger \"" + phrase + "\")");
            }

            if (classifier is null)
            {
                return new Outcome(-1, "nothing (no trigger matches and the shop has no examples): the fallback answers");
            }

            var result = classifier.Classify(normalized);
            if (result.Best < 0)
            {
                return new Outcome(-1, "nothing: the fallback answers");
            }

            var best = classifier.Intents[result.Best];
            var bestIndex = IndexOf(model, best);
            var confidence = Percent(result.BestProbability);
            if (result.BestProbability >= request.Threshold && result.Margin >= request.Margin)
            {
                return best == NegatedClass
                    ? new Outcome(-1, "a negated mention (confidence " + confidence + "), which is no intent: the fallback answers")
                    : new Outcome(bestIndex, "'" + best + "' (confidence " + confidence + ")");
            }

            var second = result.Second >= 0 ? classifier.Intents[result.Second] : "";
            if (result.BestProbability >= request.Threshold || result.Margin < request.Margin && second.Length > 0)
            {
                return new Outcome(-1, "too close to call: '" + best + "' (" + confidence + ") or '" + second + "' (" + Percent(result.SecondProbability) + "), so it would ask which one");
            }

            return new Outcome(-1, "nothing sure enough: best '" + best + "' at " + confidence + ", below the threshold " + Percent(request.Threshold) + ", so the fallback answers");
        }

        private static int IndexOf(ShopModel model, string name)
        {
            for (var i = 0; i < model.Intents.Count; i++)
            {
                if (model.Intents[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Percent(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);
    }
}
