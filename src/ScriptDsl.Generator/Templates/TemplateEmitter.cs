using System;
using System.Collections.Generic;
using System.Text;
using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Emitting;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Bound tree → C# statements writing into <c>w</c>. Adjacent compile-time text (template text and
    /// inlined constants) is merged into one <c>w.Append("...")</c>; conditions known at compile
    /// time keep only the branch taken, so the generated code has no unreachable statements.
    /// </summary>
    internal sealed class TemplateEmitter
    {
        private const string Indent = "    ";

        private readonly List<string> _lines = new List<string>();
        private readonly StringBuilder _pending = new StringBuilder();
        private string _indent = string.Empty;

        private TemplateEmitter()
        {
        }

        public static List<string> Emit(IReadOnlyList<BoundNode> nodes)
        {
            var emitter = new TemplateEmitter();
            emitter.EmitNodes(nodes);
            emitter.Flush();
            return emitter._lines;
        }

        /// <summary>Everything known at compile time, all branches, in source order (for lints such as banned words).</summary>
        public static string LiteralText(IReadOnlyList<BoundNode> nodes)
        {
            var builder = new StringBuilder();
            AppendLiteral(builder, nodes);
            return builder.ToString();
        }

        /// <summary>
        /// Rendered length estimate: text counts its characters, each runtime value a nominal width
        /// (money 6, int 3, text 6, a default's text if longer), an if its longest branch, a loop one pass.
        /// </summary>
        public static int EstimateLength(IReadOnlyList<BoundNode> nodes)
        {
            var length = 0;
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case BoundText text:
                        length += text.Text.Length;
                        break;
                    case BoundWrite write:
                        length += Math.Max(write.EstimatedWidth, write.Fallback?.Length ?? 0);
                        break;
                    case BoundIf ifNode:
                        var longest = ifNode.Else is null ? 0 : EstimateLength(ifNode.Else.Body);
                        foreach (var branch in ifNode.Branches)
                        {
                            longest = Math.Max(longest, EstimateLength(branch.Body));
                        }

                        length += longest;
                        break;
                    case BoundFor forNode:
                        length += EstimateLength(forNode.Body);
                        break;
                }
            }

            return length;
        }

        private static void AppendLiteral(StringBuilder builder, IReadOnlyList<BoundNode> nodes)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case BoundText text:
                        builder.Append(text.Text);
                        break;
                    case BoundWrite write when write.Fallback != null:
                        builder.Append(write.Fallback);
                        break;
                    case BoundIf ifNode:
                        foreach (var branch in ifNode.Branches)
                        {
                            AppendLiteral(builder, branch.Body);
                        }

                        if (ifNode.Else != null)
                        {
                            AppendLiteral(builder, ifNode.Else.Body);
                        }

                        break;
                    case BoundFor forNode:
                        AppendLiteral(builder, forNode.Body);
                        break;
                }
            }
        }

        private void EmitNodes(IReadOnlyList<BoundNode> nodes)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case BoundText text:
                        _pending.Append(text.Text);
                        break;
                    case BoundWrite write:
                        EmitWrite(write);
                        break;
                    case BoundIf ifNode:
                        EmitIf(ifNode);
                        break;
                    case BoundFor forNode:
                        // An index loop, not foreach: enumerating an IReadOnlyList boxes an enumerator,
                        // and rendering allocates nothing but the result string. No local outside the
                        // for statement, so sibling loops at one level do not collide.
                        Flush();
                        var variable = ConditionEmitter.LoopVariable(forNode.Depth);
                        var list = forNode.List is null ? "global::System.Array.Empty<global::ScriptDsl.Templates.CartLineView>()" : ConditionEmitter.Value(forNode.List, inlineFacts: true);
                        var index = variable + "Index";
                        Line("for (var " + index + " = 0; " + index + " < " + list + ".Count; " + index + "++)");
                        Line("{");
                        Line(Indent + "var " + variable + " = " + list + "[" + index + "];");
                        var saved = _indent;
                        _indent += Indent;
                        EmitNodes(forNode.Body);
                        Flush();
                        _indent = saved;
                        Line("}");
                        break;
                }
            }
        }

        private void EmitWrite(BoundWrite write)
        {
            Flush();
            var value = write.Value;
            var argument = write.Method switch
            {
                WriteMethod.Append => ConditionEmitter.Text(value, inlineFacts: true),
                WriteMethod.AppendOrDefault => ConditionEmitter.Text(value, inlineFacts: true) + ", " + TemplateValues.StringLiteral(write.Argument ?? string.Empty),
                WriteMethod.AppendDate => ConditionEmitter.Value(value, inlineFacts: true) + ", " + TemplateValues.StringLiteral(write.Argument ?? string.Empty),
                WriteMethod.AppendBool => ConditionEmitter.Value(value, inlineFacts: true) + " ? \"true\" : \"false\"",
                _ => ConditionEmitter.Value(value, inlineFacts: true),
            };
            var method = write.Method == WriteMethod.AppendBool ? "Append" : write.Method.ToString();
            var call = "w." + method + "(" + argument + ");";
            if (!write.Guarded || !(value is BoundSlot slot))
            {
                Line(call);
                return;
            }

            Line("if (" + ConditionEmitter.Slot(slot.Ordinal) + ".IsFilled)");
            Line("{");
            Line(Indent + call);
            Line("}");
            if (write.Fallback != null)
            {
                Line("else");
                Line("{");
                Line(Indent + "w.Append(" + TemplateValues.StringLiteral(write.Fallback) + ");");
                Line("}");
            }
        }

        private void EmitIf(BoundIf ifNode)
        {
            var keyword = "if";
            foreach (var branch in ifNode.Branches)
            {
                // Conditions known at compile time (facts, literals) keep only the branch taken.
                var condition = ConditionEmitter.Simplify(branch.Condition);
                var constant = BoundConditions.Evaluate(condition);
                if (constant == false)
                {
                    continue;
                }

                if (constant == true)
                {
                    // Taken whenever no earlier branch was: the rest of the if is dead.
                    EmitFinalBranch(keyword, branch.Body);
                    return;
                }

                Flush();
                Line(keyword + " (" + Unparenthesized(ConditionEmitter.Condition(condition, inlineFacts: true)) + ")");
                Block(branch.Body);
                keyword = "else if";
            }

            if (ifNode.Else != null)
            {
                EmitFinalBranch(keyword, ifNode.Else.Body);
            }
        }

        /// <summary>"(a &amp;&amp; b)" as "a &amp;&amp; b" when the outer parentheses enclose the whole expression.</summary>
        private static string Unparenthesized(string code)
        {
            if (code.Length < 2 || code[0] != '(' || code[code.Length - 1] != ')')
            {
                return code;
            }

            var depth = 0;
            var inString = false;
            for (var i = 0; i < code.Length; i++)
            {
                var c = code[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inString = true;
                }
                else if (c == '/' && i + 1 < code.Length && code[i + 1] == '*')
                {
                    // A choice's value in a comment: skip it whole.
                    var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? code.Length : end + 1;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0 && i < code.Length - 1)
                {
                    return code;
                }
            }

            return code.Substring(1, code.Length - 2);
        }

        private void EmitFinalBranch(string keyword, IReadOnlyList<BoundNode> body)
        {
            if (keyword == "if")
            {
                // No runtime branch before it: its body is simply part of the template.
                EmitNodes(body);
                return;
            }

            Flush();
            Line("else");
            Block(body);
        }

        private void Block(IReadOnlyList<BoundNode> body)
        {
            Line("{");
            var saved = _indent;
            _indent += Indent;
            EmitNodes(body);
            Flush();
            _indent = saved;
            Line("}");
        }

        private void Flush()
        {
            if (_pending.Length == 0)
            {
                return;
            }

            Line("w.Append(" + TemplateValues.StringLiteral(_pending.ToString()) + ");");
            _pending.Clear();
        }

        private void Line(string text) => _lines.Add(_indent + text);
    }
}
