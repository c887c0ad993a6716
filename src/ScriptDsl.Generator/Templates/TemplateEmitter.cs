using System;
using System.Collections.Generic;
using System.Text;

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

        public static List<string> Emit(List<BoundNode> nodes)
        {
            var emitter = new TemplateEmitter();
            emitter.EmitNodes(nodes);
            emitter.Flush();
            return emitter._lines;
        }

        /// <summary>Everything known at compile time, all branches, in source order (for lints such as banned words).</summary>
        public static string LiteralText(List<BoundNode> nodes)
        {
            var builder = new StringBuilder();
            AppendLiteral(builder, nodes);
            return builder.ToString();
        }

        /// <summary>
        /// Rendered length estimate: text counts its characters, each runtime value a nominal width
        /// (money 6, int 3, text 6, a default's text if longer), an if its longest branch, a loop one pass.
        /// </summary>
        public static int EstimateLength(List<BoundNode> nodes)
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
                        var longest = ifNode.Else is null ? 0 : EstimateLength(ifNode.Else);
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

        private static void AppendLiteral(StringBuilder builder, List<BoundNode> nodes)
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
                            AppendLiteral(builder, ifNode.Else);
                        }

                        break;
                    case BoundFor forNode:
                        AppendLiteral(builder, forNode.Body);
                        break;
                }
            }
        }

        private void EmitNodes(List<BoundNode> nodes)
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
                        var index = forNode.Variable + "Index";
                        Line("for (var " + index + " = 0; " + index + " < " + forNode.List + ".Count; " + index + "++)");
                        Line("{");
                        Line(Indent + "var " + forNode.Variable + " = " + forNode.List + "[" + index + "];");
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
            var call = "w." + write.Method + "(" + write.Argument + ");";
            if (write.Guard is null)
            {
                Line(call);
                return;
            }

            Line("if (" + write.Guard + ")");
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
                var constant = branch.Condition.Constant;
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
                Line(keyword + " (" + branch.Condition.Code + ")");
                Block(branch.Body);
                keyword = "else if";
            }

            if (ifNode.Else != null)
            {
                EmitFinalBranch(keyword, ifNode.Else);
            }
        }

        private void EmitFinalBranch(string keyword, List<BoundNode> body)
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

        private void Block(List<BoundNode> body)
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
