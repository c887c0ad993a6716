using System;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Parsing;

namespace ScriptDsl.Generator.Binding
{
    // The script's condition front end (the `when` of recommend rules and of gifts): it only
    // translates Sprache's CondSyntax into the one unbound condition syntax (ConditionSyntax.cs),
    // with the .csdsl span of every node; ConditionBinder binds it against the rule scope, exactly as
    // it binds {{ if }} (whose front end, TemplateBinder, translates Scriban's expressions).
    public sealed partial class ScriptBinder
    {
        /// <summary>Binds <paramref name="when"/> and adds it to the shop's conditions; its index, or -1 when it has errors.</summary>
        private int AddCondition(CondSyntax when, string source, int line)
        {
            var scope = ConditionScope.ForRules(_slots, _factSymbols);
            var condition = new ConditionBinder(scope, _path, _diagnostics).Bind(ReadCondition(when));
            if (condition is null)
            {
                return -1;
            }

            _conditions.Add(new ConditionModel(Source: source, Condition: condition, Line: line));
            return _conditions.Count - 1;
        }

        /// <summary>The condition as written (up to the arrow), for the comment in the generated code.</summary>
        private string SourceText(SourcePosition from, SourcePosition to)
        {
            var end = _text.LastIndexOf("->", Math.Max(from.Offset, Math.Min(to.Offset, _text.Length - 1)), StringComparison.Ordinal);
            var text = end > from.Offset ? _text.Substring(from.Offset, end - from.Offset) : "";
            return string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        }

        // ---- CondSyntax -> the shared unbound syntax (no names resolved, nothing typed, nothing reported)

        private static ConditionExpr ReadCondition(CondSyntax cond)
        {
            switch (cond)
            {
                case OrSyntax or:
                {
                    var l = ReadCondition(or.Left);
                    var r = ReadCondition(or.Right);
                    return new OrExpr(SyntaxSpan.Join(l.Span, r.Span), l, r);
                }

                case AndSyntax and:
                {
                    var l = ReadCondition(and.Left);
                    var r = ReadCondition(and.Right);
                    return new AndExpr(SyntaxSpan.Join(l.Span, r.Span), l, r);
                }

                case NotSyntax not:
                {
                    var inner = ReadCondition(not.Operand);
                    return new NotExpr(new SyntaxSpan(not.Pos, inner.Span.End), inner);
                }

                case InSyntax inSet:
                {
                    var left = ReadOperand(inSet.Left);
                    var set = inSet.Set.Select(ReadOperand).ToList();
                    return new InExpr(set.Count == 0 ? left.Span : SyntaxSpan.Join(left.Span, set[set.Count - 1].Span), left, set);
                }

                case CompareSyntax compare when compare.Op is not null && compare.Right is not null:
                {
                    var left = ReadOperand(compare.Left);
                    var right = ReadOperand(compare.Right);
                    var op = new SyntaxSpan(compare.OpPos, Advance(compare.OpPos, compare.Op.Length));
                    return new CompareExpr(SyntaxSpan.Join(left.Span, right.Span), left, compare.Op, op, right);
                }

                case CompareSyntax alone:
                {
                    var operand = ReadOperand(alone.Left);
                    return new TestExpr(operand.Span, operand);
                }

                default:
                    // Not produced by the parser; binds to nothing (the InvalidOperand reports nothing).
                    return new TestExpr(new SyntaxSpan(cond.Pos, cond.Pos), new InvalidOperand(new SyntaxSpan(cond.Pos, cond.Pos), string.Empty));
            }
        }

        private static OperandExpr ReadOperand(OperandSyntax operand)
        {
            if (operand.Number is { } number)
            {
                var display = number.Text + (number.Percent ? "%" : "");
                return new NumberOperand(new SyntaxSpan(number.Pos, Advance(number.Pos, display.Length)), display, number.Text, number.Percent, number.IsDate);
            }

            if (operand.Text is { } text)
            {
                // The quotes and the text as written (escapes included).
                return new TextOperand(new SyntaxSpan(text.Pos, Advance(text.Pos, text.Raw.Length + 2)), "\"" + text.Value + "\"", text.Value);
            }

            var path = operand.Path!;
            var first = path[0];
            if (path.Count == 1 && (first.Name == "true" || first.Name == "false"))
            {
                return new BoolOperand(IdentSpan(first), first.Name, first.Name == "true");
            }

            // A single word may be one of a choice's values (room == 卧室); a dotted path never is.
            OperandExpr result = new NameOperand(IdentSpan(first), first.Name, BareWord: path.Count == 1);
            var dotted = first.Name;
            foreach (var member in path.Skip(1))
            {
                dotted += "." + member.Name;
                var span = IdentSpan(member);
                result = new MemberOperand(SyntaxSpan.Join(result.Span, span), dotted, result, member.Name, span);
            }

            return result;
        }

        private static SyntaxSpan IdentSpan(Ident ident) => new SyntaxSpan(ident.Pos, Advance(ident.Pos, ident.Name.Length));

        private static SourcePosition Advance(SourcePosition p, int length) => new SourcePosition(p.Offset + length, p.Line, p.Column + length);
    }
}
