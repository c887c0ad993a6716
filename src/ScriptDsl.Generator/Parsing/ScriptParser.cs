using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ScriptDsl.Generator.Diagnostics;
using Sprache;

namespace ScriptDsl.Generator.Parsing
{
    /// <summary>
    /// Text → syntax. Sprache combinators, static and built once. Every token parser skips the
    /// whitespace and comments AFTER it (never before), so a token that does not match fails exactly
    /// where it starts without consuming input: that keeps XOr/XMany/XOptional honest about
    /// "committed" and makes errors point at the offending token inside the statement.
    /// </summary>
    public static class ScriptParser
    {
        /// <summary>Expectation markers for lexical errors that get their own diagnostic ID.</summary>
        internal const string UnterminatedMarker = "\u0001unterminated";
        internal const string BadEscapeMarker = "\u0001escape";

        /// <summary>The syntax when the file parsed without error; otherwise every syntax error found (the parser resumes at the next statement after one).</summary>
        public sealed record ParseOutcome(FileSyntax? Syntax, IReadOnlyList<DiagnosticInfo> Errors)
        {
            public DiagnosticInfo? Error => Errors.Count == 0 ? null : Errors[0];
        }

        /// <summary>Errors recovered from so far in this parse, and what they need to be described.</summary>
        [ThreadStatic]
        private static List<DiagnosticInfo>? t_errors;

        [ThreadStatic]
        private static string? t_text;

        [ThreadStatic]
        private static string? t_path;

        /// <summary>
        /// What optional parts and repetitions that stopped at a position would have accepted there,
        /// by offset. Sprache forgets these (XOptional/XMany succeed without them), so an error after
        /// `on "x"` would only list what the enclosing block expects; with them it also lists
        /// 'reply', 'ask', 'then', 'flag'. Per thread and per parse: parsing is synchronous.
        /// </summary>
        [ThreadStatic]
        private static Dictionary<int, HashSet<string>>? t_skipped;

        public static ParseOutcome Parse(string text, string filePath)
        {
            t_skipped = new Dictionary<int, HashSet<string>>();
            t_errors = new List<DiagnosticInfo>();
            t_text = text;
            t_path = filePath;
            try
            {
                return ParseCore(text, filePath);
            }
            finally
            {
                t_skipped = null;
                t_errors = null;
                t_text = null;
                t_path = null;
            }
        }

        private static void Skipped(IInput at, IEnumerable<string> expectations)
        {
            if (t_skipped is null)
            {
                return;
            }

            if (!t_skipped.TryGetValue(at.Position, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                t_skipped[at.Position] = set;
            }

            set.UnionWith(expectations);
        }

        /// <summary>XOptional that remembers what it would have accepted where it found nothing.</summary>
        private static Parser<IOption<T>> Opt<T>(this Parser<T> parser)
        {
            var optional = parser.XOptional();
            return i =>
            {
                var result = optional(i);
                if (result.WasSuccessful && result.Value.IsEmpty)
                {
                    Skipped(i, parser(i).Expectations);
                }

                return result;
            };
        }

        /// <summary>XMany that remembers what one more element would have started with.</summary>
        private static Parser<IEnumerable<T>> Star<T>(this Parser<T> parser)
        {
            var many = parser.XMany();
            return i =>
            {
                var result = many(i);
                if (result.WasSuccessful)
                {
                    Skipped(result.Remainder, parser(result.Remainder).Expectations);
                }

                return result;
            };
        }

        private static ParseOutcome ParseCore(string text, string filePath)
        {
            var result = File(new Input(text));
            var errors = new List<DiagnosticInfo>(t_errors!);
            if (!result.WasSuccessful)
            {
                errors.Add(ToDiagnostic(result.Remainder, result.Expectations, text, filePath));
            }

            return errors.Count == 0 ? new ParseOutcome(result.Value, errors) : new ParseOutcome(null, errors.Distinct().ToList());
        }

        /// <summary>
        /// Records a syntax error and returns where parsing resumes: the start of the next line whose
        /// first word is one of <paramref name="resumeWords"/> (a new statement), or the end of the file.
        /// </summary>
        private static IInput Recover(IInput failedAt, IEnumerable<string> expectations, IInput statementStart, ISet<string> resumeWords)
        {
            if (t_errors is not null && t_text is not null && t_path is not null)
            {
                t_errors.Add(ToDiagnostic(failedAt, expectations, t_text, t_path));
            }

            if (failedAt.Position > statementStart.Position)
            {
                // The statement broke off where a new one starts (e.g. a block missing its '}'): resume right there.
                var here = Identifier(failedAt);
                if (here.WasSuccessful && resumeWords.Contains(here.Value.Name))
                {
                    return failedAt;
                }
            }

            var i = failedAt.Position > statementStart.Position ? failedAt : statementStart;
            while (!i.AtEnd)
            {
                while (!i.AtEnd && i.Current != '\n')
                {
                    i = i.Advance();
                }

                i = SkipTrivia(i);
                var word = Identifier(i);
                if (i.AtEnd || word.WasSuccessful && resumeWords.Contains(word.Value.Name))
                {
                    return i;
                }
            }

            return i;
        }

        private static readonly HashSet<string> TopLevelWords = new HashSet<string>(StringComparer.Ordinal) { "shop", "policy", "library" };

        private static readonly HashSet<string> ShopMemberWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "currency", "honorific", "particles", "questions_before_recommend", "max_reply_length", "fact", "slot", "concept", "item",
            "stage", "recommend", "quick", "cross_sell", "objection", "order", "payment_reminder", "farewell", "complaint", "escalate", "fallback",
            "use", "understanding", "unit", "expect", "quote", "close",
            "shop", "policy", "library",
        };

        /// <summary>Builds the diagnostic from where the parse stopped and what it expected there.</summary>
        private static DiagnosticInfo ToDiagnostic(IInput at, IEnumerable<string> failureExpectations, string text, string filePath)
        {
            var start = new SourcePosition(at.Position, at.Line, at.Column);
            var expectations = failureExpectations.Distinct(StringComparer.Ordinal).ToList();
            if (expectations.Contains(UnterminatedMarker))
            {
                return DiagnosticInfo.Create(DiagnosticDescriptors.UnterminatedString, filePath, start, start);
            }

            if (expectations.Contains(BadEscapeMarker))
            {
                var escape = at.Position + 1 < text.Length ? text.Substring(at.Position, 2) : "\\";
                return DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEscape, filePath, start, Advance(start, escape.Length), escape);
            }

            if (t_skipped is not null && t_skipped.TryGetValue(at.Position, out var skipped))
            {
                expectations = expectations.Concat(skipped).Distinct(StringComparer.Ordinal).ToList();
            }

            var found = DescribeToken(text, at.Position, out var length);
            var expected = expectations.Count == 0
                ? "a statement"
                : string.Join(", ", expectations.Where(e => e.Length > 0 && e[0] != '\u0001').OrderBy(e => e, StringComparer.Ordinal));
            // A misspelt keyword ("replly") gets the closest expected keyword as a suggestion.
            var keywords = expectations.Where(e => e.Length > 2 && e[0] == '\'' && e[e.Length - 1] == '\'' && char.IsLetter(e[1])).Select(e => e.Substring(1, e.Length - 2));
            var suggestion = found.Length > 2 && found[0] == '\'' && IsIdentStart(found[1])
                ? Binding.Names.Suggest(found.Substring(1, found.Length - 2), keywords)
                : "";
            return DiagnosticInfo.Create(DiagnosticDescriptors.SyntaxError, filePath, start, Advance(start, length), found, expected, suggestion);
        }

        private static SourcePosition Advance(SourcePosition p, int length) => new SourcePosition(p.Offset + length, p.Line, p.Column + length);

        /// <summary>The token at <paramref name="offset"/> as the author sees it: a word, a quoted string's start, a symbol, or end of file.</summary>
        internal static string DescribeToken(string text, int offset, out int length)
        {
            if (offset >= text.Length)
            {
                length = 0;
                return "end of file";
            }

            var c = text[offset];
            var end = offset;
            if (IsIdentStart(c) || IsAsciiDigit(c))
            {
                while (end < text.Length && (IsIdentPart(text[end]) || text[end] == '.' && IsAsciiDigit(c)))
                {
                    end++;
                }
            }
            else if (c == '"')
            {
                end = offset + 1;
                while (end < text.Length && end - offset < 20 && text[end] != '"' && text[end] != '\n')
                {
                    end++;
                }

                end = Math.Min(text.Length, end + 1);
            }
            else
            {
                end = offset + (char.IsHighSurrogate(c) && offset + 1 < text.Length ? 2 : 1);
            }

            length = end - offset;
            var token = text.Substring(offset, length);
            if (token.Length == 1 && char.IsControl(token[0]))
            {
                return "character U+" + ((int)token[0]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            }

            return "'" + token + "'";
        }

        // ---------------------------------------------------------------- tokens

        private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

        private static bool IsIdentPart(char c) => char.IsLetterOrDigit(c) || c == '_';

        private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

        private static SourcePosition At(IInput i) => new SourcePosition(i.Position, i.Line, i.Column);

        /// <summary>Skips whitespace and // comments.</summary>
        private static IInput SkipTrivia(IInput i)
        {
            while (!i.AtEnd)
            {
                var c = i.Current;
                if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    i = i.Advance();
                }
                else if (c == '/' && i.Position + 1 < i.Source.Length && i.Source[i.Position + 1] == '/')
                {
                    while (!i.AtEnd && i.Current != '\n')
                    {
                        i = i.Advance();
                    }
                }
                else
                {
                    break;
                }
            }

            return i;
        }

        private static readonly Parser<Ident> Identifier = i =>
        {
            if (i.AtEnd || !IsIdentStart(i.Current))
            {
                return Result.Failure<Ident>(i, "expected a name", new[] { "a name" });
            }

            var start = i;
            var sb = new StringBuilder();
            while (!i.AtEnd && IsIdentPart(i.Current))
            {
                sb.Append(i.Current);
                i = i.Advance();
            }

            return Result.Success(new Ident(At(start), sb.ToString()), SkipTrivia(i));
        };

        private static readonly Parser<Ident> Name = Identifier.Named("a name");

        /// <summary>A reserved word where one is expected: a whole word, so "order" is not "or".</summary>
        private static Parser<Ident> Keyword(string keyword) => i =>
        {
            var word = Identifier(i);
            if (word.WasSuccessful && string.Equals(word.Value.Name, keyword, StringComparison.Ordinal))
            {
                return word;
            }

            return Result.Failure<Ident>(i, "expected '" + keyword + "'", new[] { "'" + keyword + "'" });
        };

        private static Parser<string> Symbol(string symbol) => i =>
        {
            var start = i;
            foreach (var c in symbol)
            {
                if (i.AtEnd || i.Current != c)
                {
                    return Result.Failure<string>(start, "expected '" + symbol + "'", new[] { "'" + symbol + "'" });
                }

                i = i.Advance();
            }

            return Result.Success(symbol, SkipTrivia(i));
        };

        /// <summary>"..." on one line, escapes \" \\ \n. Unterminated or bad escapes fail with a marker the diagnostic maps to its own ID.</summary>
        private static readonly Parser<StringLit> StringLiteral = i =>
        {
            if (i.AtEnd || i.Current != '"')
            {
                return Result.Failure<StringLit>(i, "expected a quoted text", new[] { "a quoted text" });
            }

            var open = i;
            i = i.Advance();
            var rawStart = At(i);
            var value = new StringBuilder();
            var raw = new StringBuilder();
            while (true)
            {
                if (i.AtEnd || i.Current == '\n' || i.Current == '\r')
                {
                    return Result.Failure<StringLit>(open, "unterminated string", new[] { UnterminatedMarker });
                }

                var c = i.Current;
                if (c == '"')
                {
                    i = i.Advance();
                    break;
                }

                if (c == '\\')
                {
                    var escapeAt = i;
                    i = i.Advance();
                    if (i.AtEnd)
                    {
                        return Result.Failure<StringLit>(open, "unterminated string", new[] { UnterminatedMarker });
                    }

                    switch (i.Current)
                    {
                        case '"': value.Append('"'); break;
                        case '\\': value.Append('\\'); break;
                        case 'n': value.Append('\n'); break;
                        default:
                            return Result.Failure<StringLit>(escapeAt, "invalid escape", new[] { BadEscapeMarker });
                    }

                    raw.Append('\\').Append(i.Current);
                    i = i.Advance();
                    continue;
                }

                value.Append(c);
                raw.Append(c);
                i = i.Advance();
            }

            return Result.Success(new StringLit(At(open), value.ToString(), raw.ToString(), rawStart), SkipTrivia(i));
        };

        /// <summary>ASCII digits only (Parse.Decimal would take other scripts' digits and the culture's separator): 48, 599.00, 90%, 2026-12-12.</summary>
        private static readonly Parser<NumberLit> Number = i =>
        {
            if (i.AtEnd || !IsAsciiDigit(i.Current))
            {
                return Result.Failure<NumberLit>(i, "expected a number", new[] { "a number" });
            }

            var start = i;
            var sb = new StringBuilder();
            void Digits()
            {
                while (!i.AtEnd && IsAsciiDigit(i.Current))
                {
                    sb.Append(i.Current);
                    i = i.Advance();
                }
            }

            Digits();
            bool NextIsDigitAfter(char c) => !i.AtEnd && i.Current == c && i.Position + 1 < i.Source.Length && IsAsciiDigit(i.Source[i.Position + 1]);
            var isDate = false;
            var percent = false;
            if (NextIsDigitAfter('-'))
            {
                isDate = true;
                sb.Append('-');
                i = i.Advance();
                Digits();
                if (!NextIsDigitAfter('-'))
                {
                    return Result.Failure<NumberLit>(i, "expected a date", new[] { "'-' and the day of a date (2026-12-12)" });
                }

                sb.Append('-');
                i = i.Advance();
                Digits();
            }
            else
            {
                if (NextIsDigitAfter('.'))
                {
                    sb.Append('.');
                    i = i.Advance();
                    Digits();
                }

                if (!i.AtEnd && i.Current == '%')
                {
                    percent = true;
                    i = i.Advance();
                }
            }

            if (!i.AtEnd && IsIdentStart(i.Current) && !char.IsWhiteSpace(i.Current) && i.Current < 0x80)
            {
                return Result.Failure<NumberLit>(i, "expected a space after the number", new[] { "a space after the number" });
            }

            return Result.Success(new NumberLit(At(start), sb.ToString(), percent, isDate), SkipTrivia(i));
        };

        private static readonly Parser<SourcePosition> Here = i => Result.Success(At(i), i);

        private static Parser<IReadOnlyList<T>> SeparatedBy<T>(Parser<T> item, string separator) =>
            from first in item
            from rest in Symbol(separator).Then(_ => item).Star()
            select (IReadOnlyList<T>)new[] { first }.Concat(rest).ToList();

        /// <summary>
        /// "{" then members until "}". Unlike XMany, a member that fails (even without consuming
        /// input) fails the block with the member's expectations plus "}", so an unknown statement
        /// is reported as such, at its own position.
        /// </summary>
        private static Parser<IReadOnlyList<T>> Block<T>(Parser<T> member) => i =>
        {
            var open = Symbol("{")(i);
            if (!open.WasSuccessful)
            {
                return Result.Failure<IReadOnlyList<T>>(open.Remainder, open.Message, open.Expectations);
            }

            var items = new List<T>();
            var rest = open.Remainder;
            var close = Symbol("}");
            while (true)
            {
                var closed = close(rest);
                if (closed.WasSuccessful)
                {
                    return Result.Success<IReadOnlyList<T>>(items, closed.Remainder);
                }

                var next = member(rest);
                if (!next.WasSuccessful)
                {
                    var expectations = next.Remainder.Equals(rest) ? next.Expectations.Concat(closed.Expectations) : next.Expectations;
                    return Result.Failure<IReadOnlyList<T>>(next.Remainder, next.Message, expectations);
                }

                if (next.Remainder.Equals(rest))
                {
                    return Result.Failure<IReadOnlyList<T>>(rest, "no progress", closed.Expectations);
                }

                items.Add(next.Value);
                rest = next.Remainder;
            }
        };

        // ---------------------------------------------------------------- phrases and replies

        private static readonly Parser<PhraseSyntax> Phrase =
            StringLiteral.Select(s => new PhraseSyntax(s.Pos, s, null, false))
                .XOr(from kw in Keyword("concept") from name in Name select new PhraseSyntax(kw.Pos, null, name, false))
                .XOr(Keyword("start").Select(kw => new PhraseSyntax(kw.Pos, null, null, true)))
                .Named("a phrase (\"...\", concept NAME or start)");

        private static readonly Parser<IReadOnlyList<PhraseSyntax>> Phrases = SeparatedBy(Phrase, "|");

        private static readonly Parser<IReadOnlyList<PhraseSyntax>> OnPhrases = Keyword("on").Then(_ => Phrases);

        /// <summary><c>examples "…" | "…"</c>, <c>label "…"</c> or <c>like NAME</c> (docs/design/understanding-spec.md §1).</summary>
        private static readonly Parser<UnderstandSyntax> Understand =
            (from kw in Keyword("examples") from list in SeparatedBy(StringLiteral, "|") select new UnderstandSyntax(kw.Pos, "examples", list, null, null))
            .XOr(from kw in Keyword("label") from text in StringLiteral select new UnderstandSyntax(kw.Pos, "label", Array.Empty<StringLit>(), text, null))
            .XOr(from kw in Keyword("like") from name in Name select new UnderstandSyntax(kw.Pos, "like", Array.Empty<StringLit>(), null, name));

        /// <summary>What picks a rule: understanding parts before and after an optional <c>on …</c> list (the binder requires triggers or examples).</summary>
        private static readonly Parser<(IReadOnlyList<PhraseSyntax> Phrases, IReadOnlyList<UnderstandSyntax> Understand)> Triggering =
            from before in Understand.Star()
            from phrases in OnPhrases.Opt()
            from after in Understand.Star()
            select ((IReadOnlyList<PhraseSyntax>)(phrases.IsDefined ? phrases.Get() : Array.Empty<PhraseSyntax>()), (IReadOnlyList<UnderstandSyntax>)before.Concat(after).ToList());

        private static readonly Parser<RepliesSyntax> Replies =
            from kw in Keyword("reply")
            from variants in SeparatedBy(StringLiteral, "|")
            select new RepliesSyntax(kw.Pos, variants);

        private static readonly Parser<FlagSyntax> Flag =
            from kw in Keyword("flag")
            from color in Keyword("red").XOr(Keyword("yellow")).XOr(Keyword("green")).XOr(Keyword("blue")).XOr(Keyword("purple"))
            from note in StringLiteral
            select new FlagSyntax(kw.Pos, color, note);

        // ---------------------------------------------------------------- conditions

        private static readonly Parser<OperandSyntax> Operand =
            (from first in Name
             from rest in Symbol(".").Then(_ => Name).Star()
             select new OperandSyntax(first.Pos, new[] { first }.Concat(rest).ToList(), null, null))
            .XOr(Number.Select(n => new OperandSyntax(n.Pos, null, n, null)))
            .XOr(StringLiteral.Select(s => new OperandSyntax(s.Pos, null, null, s)))
            .Named("a value (a slot, fact, number or \"text\")");

        private static readonly Parser<string> ComparisonOperator =
            Symbol("==").XOr(Symbol("!=")).XOr(Symbol("<=")).XOr(Symbol(">=")).XOr(Symbol("<")).XOr(Symbol(">"));

        private static readonly Parser<CondSyntax> Comparison =
            from left in Operand
            from tail in
                (from opPos in Here from op in ComparisonOperator from right in Operand select (CondSyntax)new CompareSyntax(left.Pos, left, op, right) { OpPos = opPos })
                .XOr(from kw in Keyword("in")
                     from open in Symbol("(")
                     from set in SeparatedBy(Operand, ",")
                     from close in Symbol(")")
                     select (CondSyntax)new InSyntax(left.Pos, left, set))
                .Opt()
            select tail.IsDefined ? tail.Get() : new CompareSyntax(left.Pos, left, null, null);

        private static readonly Parser<CondSyntax> Condition = Sprache.Parse.Ref(() => OrCondition);

        /// <summary>Deepest nesting of not/parentheses in a condition: deeper input is an error, not a stack overflow.</summary>
        internal const int MaxConditionDepth = 64;

        [ThreadStatic]
        private static int t_depth;

        private static readonly Parser<CondSyntax> Unary = i =>
        {
            if (t_depth >= MaxConditionDepth)
            {
                return Result.Failure<CondSyntax>(i, "too deep", new[] { "a simpler condition (at most " + MaxConditionDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " nested 'not' or parentheses)" });
            }

            t_depth++;
            try
            {
                return UnaryCore!(i); // declared below; static initialization has run by the time a parse starts
            }
            finally
            {
                t_depth--;
            }
        };

        private static readonly Parser<CondSyntax> UnaryCore =
            (from kw in Keyword("not") from operand in Sprache.Parse.Ref(() => Unary) select (CondSyntax)new NotSyntax(kw.Pos, operand))
            .XOr(from open in Symbol("(") from inner in Condition from close in Symbol(")") select inner)
            .XOr(Comparison);

        private static readonly Parser<CondSyntax> AndCondition =
            from first in Unary
            from rest in Keyword("and").Then(_ => Unary).Star()
            select Balanced(new[] { first }.Concat(rest).ToList(), 0, rest.Count() + 1, (l, r) => new AndSyntax(l.Pos, l, r));

        private static readonly Parser<CondSyntax> OrCondition =
            from first in AndCondition
            from rest in Keyword("or").Then(_ => AndCondition).Star()
            select Balanced(new[] { first }.Concat(rest).ToList(), 0, rest.Count() + 1, (l, r) => new OrSyntax(l.Pos, l, r));

        /// <summary>
        /// Joins a chain of and/or operands as a balanced tree (same operands, same left-to-right
        /// order, and/or being associative), so a very long chain cannot overflow the stack later.
        /// </summary>
        private static CondSyntax Balanced(IReadOnlyList<CondSyntax> items, int start, int count, Func<CondSyntax, CondSyntax, CondSyntax> join)
        {
            if (count == 1)
            {
                return items[start];
            }

            var half = count / 2;
            return join(Balanced(items, start, half, join), Balanced(items, start + half, count - half, join));
        }

        // ---------------------------------------------------------------- shop members

        private static Parser<MemberSyntax> Member<T>(Parser<T> parser)
            where T : MemberSyntax => parser.Select(m => (MemberSyntax)m);

        private static readonly Parser<MemberSyntax> Currency =
            Member(from kw in Keyword("currency") from code in Name select new CurrencySyntax(kw.Pos, code));

        private static readonly Parser<MemberSyntax> Honorific =
            Member(from kw in Keyword("honorific") from text in StringLiteral select new HonorificSyntax(kw.Pos, text));

        private static readonly Parser<MemberSyntax> Particles =
            Member(from kw in Keyword("particles") from first in StringLiteral from rest in StringLiteral.Star()
                   select new ParticlesSyntax(kw.Pos, new[] { first }.Concat(rest).ToList()));

        private static Parser<MemberSyntax> Setting(string keyword) =>
            Member(from kw in Keyword(keyword) from value in Number select new SettingSyntax(kw.Pos, keyword, value));

        private static readonly Parser<LiteralSyntax> Literal =
            StringLiteral.Select(s => new LiteralSyntax(s.Pos, s, null, null))
                .XOr(Number.Select(n => new LiteralSyntax(n.Pos, null, n, null)))
                .XOr(Keyword("true").XOr(Keyword("false")).Select(w => new LiteralSyntax(w.Pos, null, null, w)))
                .Named("a value (\"text\", number, date, true or false)");

        private static readonly Parser<MemberSyntax> Fact =
            Member(from kw in Keyword("fact")
                   from name in Name
                   from colon in Symbol(":")
                   from type in Keyword("text").XOr(Keyword("int")).XOr(Keyword("money")).XOr(Keyword("date")).XOr(Keyword("bool"))
                   from eq in Symbol("=")
                   from value in Literal
                   select new FactSyntax(kw.Pos, name, type, value));

        private static readonly Parser<ChoiceSyntax> ChoiceValue =
            from value in Name
            from synonyms in Symbol("|").Then(_ => StringLiteral).Star()
            select new ChoiceSyntax(value.Pos, value, synonyms.ToList());

        private static readonly Parser<SlotTypeSyntax> SlotType =
            (from kw in Keyword("choice")
             from open in Symbol("(")
             from choices in SeparatedBy(ChoiceValue, ",")
             from close in Symbol(")")
             select new SlotTypeSyntax(kw.Pos, "choice", choices, Array.Empty<StringLit>()))
            .XOr(from kw in Keyword("number")
                 from unitKw in Keyword("unit")
                 from units in SeparatedBy(StringLiteral, "|")
                 select new SlotTypeSyntax(kw.Pos, "number", Array.Empty<ChoiceSyntax>(), units))
            .XOr(Keyword("money").Select(kw => new SlotTypeSyntax(kw.Pos, "money", Array.Empty<ChoiceSyntax>(), Array.Empty<StringLit>())))
            .XOr(Keyword("text").Select(kw => new SlotTypeSyntax(kw.Pos, "text", Array.Empty<ChoiceSyntax>(), Array.Empty<StringLit>())));

        private static readonly Parser<QuestionSyntax> Question =
            from kw in Keyword("ask")
            from kind in Keyword("open").XOr(Keyword("closed"))
            from replies in Replies.XOr(from first in Here from variants in SeparatedBy(StringLiteral, "|") select new RepliesSyntax(first, variants))
            select new QuestionSyntax(kw.Pos, kind.Name == "open", replies);

        private static readonly Parser<MemberSyntax> Slot =
            Member(from kw in Keyword("slot")
                   from name in Name
                   from colon in Symbol(":")
                   from type in SlotType
                   from question in Question
                   select new SlotSyntax(kw.Pos, name, type, question));

        private static readonly Parser<MemberSyntax> Concept =
            Member(from kw in Keyword("concept")
                   from name in Name
                   from eq in Symbol("=")
                   from phrases in Phrases
                   from negations in (from n in Keyword("negated") from byKw in Keyword("by") from list in SeparatedBy(StringLiteral, "|") select list).Opt()
                   select new ConceptSyntax(kw.Pos, name, phrases, negations.IsDefined ? negations.Get() : Array.Empty<StringLit>()));

        private static readonly Parser<MemberSyntax> Item =
            Member(from kw in Keyword("item")
                   from id in Name
                   from skuKw in Keyword("sku")
                   from sku in StringLiteral
                   from nameKw in Keyword("name")
                   from name in StringLiteral
                   from priceKw in Keyword("price")
                   from price in Number
                   from categoryKw in Keyword("category")
                   from category in Name
                   from point in Keyword("point").Then(_ => StringLiteral).Opt()
                   select new ItemSyntax(kw.Pos, id, sku, name, price, category, point.GetOrDefault()));

        private static readonly Parser<IReadOnlyList<Ident>> NameList = SeparatedBy(Name, ",");

        private static readonly Parser<IntentBodySyntax> IntentBody =
            from replies in Replies.Opt()
            from ask in Keyword("ask").Then(_ => NameList).Opt()
            from then in Keyword("then").Then(_ => Name).Opt()
            from flags in Flag.Star()
            select new IntentBodySyntax(replies.GetOrDefault(), ask.IsDefined ? ask.Get() : Array.Empty<Ident>(), then.GetOrDefault(), flags.ToList());

        private static readonly Parser<object> StageEntry =
            (from start in Here
             from name in Keyword("intent").Then(_ => Name)
             from picks in Triggering
             from body in IntentBody
             select (object)new StageIntentSyntax(start, name, picks.Phrases, body, picks.Understand))
            .XOr(from start in Here
                 from onKw in Keyword("on")
                 from phrases in Phrases
                 from after in Understand.Star()
                 from body in IntentBody
                 select (object)new StageIntentSyntax(start, null, phrases, body, after.ToList()))
            .XOr(Keyword("next").Then(_ => Name).Select(n => (object)n));

        private static readonly Parser<MemberSyntax> Stage =
            Member(from kw in Keyword("stage")
                   from name in Name
                   from entries in Block(StageEntry)
                   select new StageSyntax(kw.Pos, name, entries.OfType<StageIntentSyntax>().ToList(), entries.OfType<Ident>().ToList()));

        private static readonly Parser<RuleSyntax> Rule =
            (from kw in Keyword("if")
             from cond in Condition
             from arrow in Symbol("->")
             from item in Name
             select new RuleSyntax(kw.Pos, cond, item))
            .XOr(from kw in Keyword("else")
                 from arrow in Symbol("->")
                 from item in Name
                 select new RuleSyntax(kw.Pos, null, item));

        private static readonly Parser<object> RecommendEntry = Rule.Select(r => (object)r).XOr(Replies.Select(r => (object)r));

        private static readonly Parser<MemberSyntax> Recommend =
            Member(from kw in Keyword("recommend")
                   from name in Name.Opt()
                   from entries in Block(RecommendEntry)
                   select new RecommendSyntax(kw.Pos, name.GetOrDefault(), entries.OfType<RuleSyntax>().ToList(),
                       entries.OfType<RepliesSyntax>().FirstOrDefault() ?? new RepliesSyntax(kw.Pos, Array.Empty<StringLit>())));

        private static readonly Parser<MemberSyntax> Quick =
            Member(from kw in Keyword("quick") from name in Name from picks in Triggering from replies in Replies
                   select new QuickSyntax(kw.Pos, name, picks.Phrases, replies, picks.Understand));

        private static readonly Parser<MemberSyntax> CrossSell =
            Member(from kw in Keyword("cross_sell")
                   from after in Keyword("after")
                   from categoryKw in Keyword("category")
                   from category in Name
                   from offerKw in Keyword("offer")
                   from offer in NameList
                   from replies in Replies
                   select new CrossSellSyntax(kw.Pos, category, offer, replies));

        private static readonly Parser<Ident> ObjectionKind =
            Keyword("need").XOr(Keyword("budget")).XOr(Keyword("authority")).XOr(Keyword("price"))
                .XOr(Keyword("product")).XOr(Keyword("agent")).XOr(Keyword("timing"));

        private static readonly Parser<MemberSyntax> Objection =
            Member(from kw in Keyword("objection")
                   from kind in ObjectionKind
                   from picks in Triggering
                   from answer in Replies.Select(r => (r, (Ident?)null))
                       .XOr(from use in Keyword("use") from policyKw in Keyword("policy") from name in Name select ((RepliesSyntax?)null, (Ident?)name))
                   select new ObjectionSyntax(kw.Pos, kind, picks.Phrases, answer.Item1, answer.Item2, picks.Understand));

        private static readonly Parser<MemberSyntax> Order =
            Member(from kw in Keyword("order") from picks in Triggering from replies in Replies from flags in Flag.Star()
                   select new OrderSyntax(kw.Pos, picks.Phrases, replies, flags.ToList(), picks.Understand));

        private static readonly Parser<MemberSyntax> Payment =
            Member(from kw in Keyword("payment_reminder")
                   from within in Keyword("within")
                   from days in Number
                   from unit in Keyword("days")
                   from replies in Replies
                   select new PaymentSyntax(kw.Pos, days, replies));

        private static readonly Parser<MemberSyntax> Farewell =
            Member(from kw in Keyword("farewell") from picks in Triggering from replies in Replies
                   select new FarewellSyntax(kw.Pos, picks.Phrases, replies, picks.Understand));

        private static Parser<ComplaintStepSyntax> SimpleStep(string keyword) =>
            from kw in Keyword(keyword) from replies in Replies
            select new ComplaintStepSyntax(kw.Pos, keyword, Array.Empty<Ident>(), null, null, null, replies);

        private static readonly Parser<ComplaintStepSyntax> ComplaintStep =
            SimpleStep("confirm")
                .XOr(SimpleStep("apologize"))
                .XOr(from kw in Keyword("collect") from ask in Keyword("ask") from slots in NameList from replies in Replies.Opt()
                     select new ComplaintStepSyntax(kw.Pos, "collect", slots, null, null, null, replies.GetOrDefault()))
                .XOr(from kw in Keyword("remedy")
                     from remedy in
                         (from c in Keyword("coupon") from name in StringLiteral from amount in Number select (c.Name, (StringLit?)name, (NumberLit?)amount))
                         .XOr(from d in Keyword("discount") from percent in Number select (d.Name, (StringLit?)null, (NumberLit?)percent))
                         .XOr(Keyword("thanks").Select(t => (t.Name, (StringLit?)null, (NumberLit?)null)))
                     from replies in Replies
                     select new ComplaintStepSyntax(kw.Pos, "remedy", Array.Empty<Ident>(), remedy.Item1, remedy.Item2, remedy.Item3, replies))
                .XOr(SimpleStep("opinion"))
                .XOr(SimpleStep("follow_up"));

        private static readonly Parser<MemberSyntax> Complaint =
            Member(from kw in Keyword("complaint") from picks in Triggering from steps in Block(ComplaintStep)
                   select new ComplaintSyntax(kw.Pos, picks.Phrases, steps, picks.Understand));

        private static readonly Parser<MemberSyntax> Escalate =
            Member(from kw in Keyword("escalate")
                   from toKw in Keyword("to")
                   from to in StringLiteral
                   from reason in Keyword("reason").Then(_ => StringLiteral).Opt()
                   from picks in Triggering
                   from replies in Replies
                   select new EscalateSyntax(kw.Pos, to, reason.GetOrDefault(), picks.Phrases, replies, picks.Understand));

        private static readonly Parser<MemberSyntax> Fallback =
            Member(from kw in Keyword("fallback") from replies in Replies select new FallbackSyntax(kw.Pos, replies));

        // ---------------------------------------------------------------- understanding (docs/design/understanding-spec.md §1)

        private static readonly Parser<MemberSyntax> UseStandard =
            Member(from kw in Keyword("use") from standard in Keyword("standard") from name in Name select new UseStandardSyntax(kw.Pos, name));

        private static readonly Parser<UnderstandingSettingSyntax> UnderstandingSetting =
            from kw in Keyword("threshold").XOr(Keyword("margin"))
            from value in Number
            select new UnderstandingSettingSyntax(kw.Pos, kw, value);

        private static readonly Parser<MemberSyntax> UnderstandingBlock =
            Member(from kw in Keyword("understanding") from settings in Block(UnderstandingSetting) select new UnderstandingSyntax(kw.Pos, settings));

        private static readonly Parser<MemberSyntax> Unit =
            Member(from kw in Keyword("unit")
                   from word in StringLiteral
                   from eq in Symbol("=")
                   from factor in Number
                   from unit in Name.Select(n => (n, n.Name.Length)).XOr(StringLiteral.Select(t => (new Ident(t.Pos, t.Value), t.Raw.Length + 2)))
                   select new UnitSyntax(kw.Pos, word, factor, unit.Item1, unit.Item2));

        private static readonly Parser<MemberSyntax> Expect =
            Member(from kw in Keyword("expect") from text in StringLiteral from arrow in Symbol("->") from intent in Name
                   select new ExpectSyntax(kw.Pos, text, intent));

        private static readonly Parser<MemberSyntax> Quote =
            Member(from kw in Keyword("quote")
                   from picks in Triggering
                   from use in Keyword("use")
                   from policyKw in Keyword("policy")
                   from name in Name
                   select new QuoteSyntax(kw.Pos, picks.Phrases, picks.Understand, name));

        private static readonly Parser<MemberSyntax> Close =
            Member(from kw in Keyword("close") from picks in Triggering from replies in Replies
                   select new CloseSyntax(kw.Pos, picks.Phrases, picks.Understand, replies));

        private static readonly Parser<MemberSyntax> ShopMember =
            Currency.XOr(Honorific).XOr(Particles).XOr(Setting("questions_before_recommend")).XOr(Setting("max_reply_length"))
                .XOr(Fact).XOr(Slot).XOr(Concept).XOr(Item).XOr(Stage).XOr(Recommend).XOr(Quick).XOr(CrossSell)
                .XOr(Objection).XOr(Order).XOr(Payment).XOr(Farewell).XOr(Complaint).XOr(Escalate).XOr(Fallback)
                .XOr(UseStandard).XOr(UnderstandingBlock).XOr(Unit).XOr(Expect).XOr(Quote).XOr(Close);

        /// <summary>The shop's body: a <see cref="RecoveringBlock{T}"/> of shop statements.</summary>
        private static readonly Parser<IReadOnlyList<MemberSyntax>> ShopBody = RecoveringBlock(ShopMember, ShopMemberWords);

        /// <summary>
        /// A block body (shop or policy): like <see cref="Block{T}"/>, but a broken statement is recorded
        /// and parsing resumes at the next line that starts one of <paramref name="words"/>, so one build
        /// reports every broken statement of the file, each at its own position. Stops (without '}') at
        /// a following shop or policy block.
        /// </summary>
        private static Parser<IReadOnlyList<T>> RecoveringBlock<T>(Parser<T> member, ISet<string> words) => i =>
        {
            var open = Symbol("{")(i);
            if (!open.WasSuccessful)
            {
                return Result.Failure<IReadOnlyList<T>>(open.Remainder, open.Message, open.Expectations);
            }

            var items = new List<T>();
            var rest = open.Remainder;
            var close = Symbol("}");
            while (true)
            {
                var closed = close(rest);
                if (closed.WasSuccessful)
                {
                    return Result.Success<IReadOnlyList<T>>(items, closed.Remainder);
                }

                var word = Identifier(rest);
                if (rest.AtEnd || word.WasSuccessful && TopLevelWords.Contains(word.Value.Name) && t_errors is { Count: > 0 })
                {
                    if (t_errors is { Count: > 0 })
                    {
                        // Already failing: a missing '}' after a broken statement is not news.
                        return Result.Success<IReadOnlyList<T>>(items, rest);
                    }

                    return Result.Failure<IReadOnlyList<T>>(rest, "expected '}'", member(rest).Expectations.Concat(closed.Expectations));
                }

                var next = member(rest);
                if (!next.WasSuccessful)
                {
                    var expectations = next.Remainder.Equals(rest) ? next.Expectations.Concat(closed.Expectations) : next.Expectations;
                    rest = Recover(next.Remainder, expectations, rest, words);
                    continue;
                }

                items.Add(next.Value);
                rest = next.Remainder;
            }
        };

        private static readonly Parser<ShopSyntax> Shop =
            from kw in Keyword("shop")
            from id in Name
            from name in StringLiteral
            from members in ShopBody
            select new ShopSyntax(kw.Pos, id, name, members);

        // ---------------------------------------------------------------- policies (docs/design/policy-spec.md)

        private static Parser<PolicyMemberSyntax> PolicyMember<T>(Parser<T> parser)
            where T : PolicyMemberSyntax => parser.Select(m => (PolicyMemberSyntax)m);

        private static readonly Parser<Ident> PeriodUnit =
            Keyword("days").XOr(Keyword("day")).XOr(Keyword("years")).XOr(Keyword("year"));

        private static readonly Parser<FloorKeySyntax> FloorName =
            Name.Select(n => new FloorKeySyntax(n.Pos, n.Name, n.Name.Length))
                .XOr(StringLiteral.Select(s => new FloorKeySyntax(s.Pos, s.Value, s.Raw.Length + 2)));

        private static readonly Parser<FloorKeySyntax> FloorSku =
            StringLiteral.Select(s => new FloorKeySyntax(s.Pos, s.Value, s.Raw.Length + 2));

        /// <summary><c>floor 90% of list</c> | <c>floor cart 30.00</c> | <c>floor sku "KT-880" 540.00</c> | <c>floor category 客厅 85%</c> | <c>floor tier returning 80%</c>.</summary>
        private static readonly Parser<PolicyMemberSyntax> Floor =
            PolicyMember(from kw in Keyword("floor")
                         from floor in
                             (from p in Number from of in Keyword("of") from list in Keyword("list") select new FloorSyntax(kw.Pos, new Ident(p.Pos, "list"), null, p))
                             .XOr(from k in Keyword("cart") from m in Number select new FloorSyntax(kw.Pos, k, null, m))
                             .XOr(from k in Keyword("sku") from sku in FloorSku from m in Number select new FloorSyntax(kw.Pos, k, sku, m))
                             .XOr(from k in Keyword("category") from c in FloorName from p in Number select new FloorSyntax(kw.Pos, k, c, p))
                             .XOr(from k in Keyword("tier") from t in FloorName from p in Number select new FloorSyntax(kw.Pos, k, t, p))
                         select floor);

        private static readonly Parser<PolicyMemberSyntax> PolicyCoupon =
            PolicyMember(from kw in Keyword("coupon")
                         from name in StringLiteral
                         from spendKw in Keyword("spend")
                         from spend in Number
                         from offKw in Keyword("off")
                         from off in Number
                         from replies in Replies.Opt()
                         select new CouponSyntax(kw.Pos, name, spend, off, replies.GetOrDefault()));

        private static readonly Parser<PolicyMemberSyntax> Gift =
            PolicyMember(from kw in Keyword("gift")
                         from name in StringLiteral
                         from costKw in Keyword("cost")
                         from cost in Number
                         from when in Keyword("when").Then(_ => Condition).Opt()
                         from limit in (from l in Keyword("limit") from n in Number from per in Keyword("per") from day in Keyword("day") select n).Opt()
                         select new GiftSyntax(kw.Pos, name, cost, when.GetOrDefault(), limit.GetOrDefault()));

        private static readonly Parser<PolicyMemberSyntax> FreeShipping =
            PolicyMember(from kw in Keyword("free_shipping")
                         from handling in
                             (from g in Keyword("grant") from replies in Replies.Opt() select new FreeShippingSyntax(kw.Pos, true, replies.GetOrDefault()))
                             .XOr(from a in Keyword("as") from any in Keyword("any_better") select new FreeShippingSyntax(kw.Pos, false, null))
                         select handling);

        private static readonly Parser<PolicyMemberSyntax> PercentOff =
            PolicyMember(from kw in Keyword("percent_off")
                         from a in Keyword("as")
                         from mode in Keyword("target").XOr(Keyword("any_better"))
                         select new PercentOffSyntax(kw.Pos, mode));

        private static Parser<PolicyMemberSyntax> PolicyReply(string keyword) =>
            PolicyMember(from kw in Keyword(keyword) from replies in Replies select new PolicyReplySyntax(kw.Pos, keyword, replies));

        /// <summary>A counter step's concession shape: boulware, linear, conceder or beta NUMBER.</summary>
        private static readonly Parser<(Ident Shape, NumberLit? Beta)> CounterShape =
            Keyword("boulware").Select(k => (k, (NumberLit?)null))
                .XOr(Keyword("linear").Select(k => (k, (NumberLit?)null)))
                .XOr(Keyword("conceder").Select(k => (k, (NumberLit?)null)))
                .XOr(from k in Keyword("beta") from n in Number select (k, (NumberLit?)n));

        /// <summary>Only a counter step has a shape: for the other kinds this fails without consuming, so the shape is absent.</summary>
        private static readonly Parser<(Ident Shape, NumberLit? Beta)> NoShape = i => Result.Failure<(Ident Shape, NumberLit? Beta)>(i, "no shape", Array.Empty<string>());

        private static readonly Parser<PolicyMemberSyntax> Step =
            PolicyMember(from kw in Keyword("step")
                         from name in Name
                         from kind in Keyword("explain").XOr(Keyword("coupon")).XOr(Keyword("gift")).XOr(Keyword("split")).XOr(Keyword("counter")).XOr(Keyword("hold"))
                         from shape in (kind.Name == "counter" ? CounterShape : NoShape).Opt()
                         from replies in Replies
                         select new PolicyStepSyntax(kw.Pos, name, kind, shape.IsDefined ? shape.Get().Shape : null, shape.IsDefined ? shape.Get().Beta : null, replies));

        private static readonly Parser<PolicyMemberSyntax> PolicyEntry =
            PolicyMember(from kw in Keyword("use_period") from amount in Number from unit in PeriodUnit select new UsePeriodSyntax(kw.Pos, amount, unit))
                .XOr(PolicyMember(from kw in Keyword("max_rounds") from rounds in Number select new MaxRoundsSyntax(kw.Pos, rounds)))
                .XOr(Floor)
                .XOr(PolicyCoupon)
                .XOr(Gift)
                .XOr(FreeShipping)
                .XOr(PercentOff)
                .XOr(PolicyReply("accept"))
                .XOr(PolicyReply("quote"))
                .XOr(Step);

        private static readonly HashSet<string> PolicyMemberWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "use_period", "max_rounds", "floor", "coupon", "gift", "free_shipping", "percent_off", "accept", "quote", "step",
            "shop", "policy",
        };

        private static readonly Parser<PolicySyntax> Policy =
            from kw in Keyword("policy")
            from name in Name
            from forKw in Keyword("for")
            from shop in Name
            from members in RecoveringBlock(PolicyEntry, PolicyMemberWords)
            select new PolicySyntax(kw.Pos, name, shop, members);

        // ---------------------------------------------------------------- standard library files (docs/design/understanding-spec.md §2)

        private static readonly Parser<LibraryIntentSyntax> LibraryIntent =
            from kw in Keyword("intent")
            from name in Name
            from parts in Understand.Star()
            select new LibraryIntentSyntax(kw.Pos, name, parts.ToList());

        private static readonly HashSet<string> LibraryMemberWords = new HashSet<string>(StringComparer.Ordinal) { "intent", "shop", "policy", "library" };

        private static readonly Parser<LibrarySyntax> Library =
            from kw in Keyword("library")
            from name in Name
            from title in StringLiteral
            from intents in RecoveringBlock(LibraryIntent, LibraryMemberWords)
            select new LibrarySyntax(kw.Pos, name, title, intents);

        // ---------------------------------------------------------------- file

        private static readonly Parser<object> TopLevel = Shop.Select(s => (object)s).XOr(Policy.Select(p => (object)p)).XOr(Library.Select(l => (object)l));

        /// <summary>
        /// Any number of shop and policy blocks up to the end of the file; the binder checks there is
        /// exactly one shop (its message reads better than "expected policy"). Hand-written for the
        /// same reason as <see cref="Block{T}"/>: a stray word at top level reports what was expected.
        /// </summary>
        private static readonly Parser<FileSyntax> File = i =>
        {
            var rest = SkipTrivia(i);
            var shops = new List<ShopSyntax>();
            var policies = new List<PolicySyntax>();
            var libraries = new List<LibrarySyntax>();
            while (!rest.AtEnd)
            {
                var next = TopLevel(rest);
                if (!next.WasSuccessful)
                {
                    var expectations = next.Remainder.Equals(rest) ? next.Expectations.Concat(new[] { "end of file" }) : next.Expectations;
                    rest = Recover(next.Remainder, expectations, rest, TopLevelWords);
                    continue;
                }

                if (next.Value is ShopSyntax shop)
                {
                    shops.Add(shop);
                }
                else if (next.Value is LibrarySyntax library)
                {
                    libraries.Add(library);
                }
                else
                {
                    policies.Add((PolicySyntax)next.Value);
                }

                rest = next.Remainder;
            }

            return Result.Success(new FileSyntax(shops, policies, libraries), rest);
        };
    }
}
