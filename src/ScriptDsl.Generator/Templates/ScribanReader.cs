using System;
using System.Collections.Generic;
using ScriptDsl.Generator.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Reads a reply template with Scriban's own parser and keeps the part of Scriban's syntax tree
    /// that replies support, as the binder's input (<see cref="TemplateNode"/>). Nothing here parses
    /// text: Scriban decides what the template means, this class only refuses what replies do not
    /// support, one located diagnostic per construct naming it and what to write instead.
    /// Scriban's spans are 0-based offsets into the decoded template (End inclusive);
    /// <see cref="TemplateText.PositionAt"/> maps them through the .csdsl escapes to file positions.
    /// </summary>
    internal sealed class ScribanReader
    {
        private const string Supported = "write a value '{{ name }}', a member '{{ a.b }}', filters '| money', '| date \"M月d日\"', '| default \"text\"', '{{ if }}...{{ else if }}...{{ else }}...{{ end }}' or '{{ for line in cart.lines }}...{{ end }}'";

        // Scriban logs an error per stray '{{' and takes seconds on tens of thousands of them; no
        // reply has a thousand blocks, so past that the template is refused before Scriban sees it.
        private const int MaxBlocks = 1000;

        private readonly TemplateText _text;

        private ScribanReader(TemplateText text)
        {
            _text = text;
        }

        /// <summary>
        /// Parses with Scriban; returns the supported tree (an unsupported construct is reported and
        /// left out, so the binder still checks the rest), or an empty list when Scriban's parse failed.
        /// </summary>
        public static List<TemplateNode> Read(TemplateText text)
        {
            // Default options: Scriban's parser stops at its expression depth limit (250; blocks
            // count too) with an error, so neither its recursion nor ours (the reader, binder and
            // emitter are recursive) can overflow the stack, which no catch could turn into a
            // diagnostic. (ParserOptions' setters differ between Scriban's netstandard2.0 and net8.0
            // builds, so the generator sets none: the compiler loads the former, tests the latter.)
            var tooMany = NthBlockStart(text.Text, MaxBlocks + 1);
            if (tooMany >= 0)
            {
                text.Report(DiagnosticDescriptors.TemplateSyntaxError, tooMany, tooMany + 2, "this reply has more than " + MaxBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture) + " '{{' blocks", "split it into several replies");
                return new List<TemplateNode>();
            }

            var template = Scriban.Template.Parse(text.Text);
            var reader = new ScribanReader(text);
            if (template.HasErrors)
            {
                reader.ReportScribanError(template.Messages, FirstTopLevelEnd(template.Page));
                return new List<TemplateNode>();
            }

            var page = template.Page;
            var nodes = page?.Body is null ? new List<TemplateNode>() : reader.ReadBlock(page.Body);
            if (page != null)
            {
                reader.CheckBlockMarkers(page);
            }

            return nodes;
        }

        private static int NthBlockStart(string text, int n)
        {
            var at = -2;
            for (var i = 0; i < n; i++)
            {
                at = text.IndexOf("{{", at + 2, StringComparison.Ordinal);
                if (at < 0)
                {
                    return -1;
                }
            }

            return at;
        }

        // ---- Scriban's errors ----

        private void ReportScribanError(LogMessageBag messages, ScriptNode? strayEnd)
        {
            // Scriban often follows its first error with consequences of it ("if" without an
            // expression, then "end not found"); the first one is the one to fix.
            foreach (var message in messages)
            {
                if (message.Type != ParserMessageType.Error)
                {
                    continue;
                }

                var start = message.Span.Start.Offset;
                var end = Math.Max(start, message.Span.End.Offset) + 1;
                var what = message.Message ?? string.Empty;
                if (strayEnd != null && what.IndexOf("without a corresponding beginning", StringComparison.Ordinal) >= 0)
                {
                    // Scriban's span for this one ends inside the keyword; the '{{ end }}' itself is the place.
                    start = Start(strayEnd);
                    end = End(strayEnd);
                }

                if (what.IndexOf("<end>", StringComparison.Ordinal) >= 0)
                {
                    _text.Report(DiagnosticDescriptors.UnbalancedTemplateBlock, start, end, "Scriban: " + what, "every '{{ if }}' and '{{ for }}' is closed by one '{{ end }}', and every '{{ end }}' closes one of them");
                }
                else
                {
                    _text.Report(DiagnosticDescriptors.TemplateSyntaxError, start, end, "Scriban: " + what, Supported);
                }

                return;
            }
        }

        private static ScriptNode? FirstTopLevelEnd(ScriptPage? page)
        {
            if (page?.Body is null)
            {
                return null;
            }

            foreach (var statement in page.Body.Statements)
            {
                if (statement is ScriptEndStatement end)
                {
                    return end;
                }
            }

            return null;
        }

        /// <summary>
        /// Two things Scriban reads without error that a reply never means: a '{{' left open at the end
        /// (Scriban runs it as code to the end of the text) and a '}}' in the text (Scriban writes it).
        /// Both are build errors rather than a reply that silently loses or shows template characters.
        /// </summary>
        private void CheckBlockMarkers(ScriptNode page)
        {
            ScriptEscapeStatement? lastEnter = null;
            var open = false;
            Walk(page, node =>
            {
                if (node is ScriptEscapeStatement escape && escape.EscapeCount == 0)
                {
                    open = escape.IsEntering;
                    if (escape.IsEntering)
                    {
                        lastEnter = escape;
                    }
                }
                else if (node is ScriptRawStatement raw && !raw.IsEscape)
                {
                    var slice = raw.Text;
                    var full = slice.FullText;
                    if (full != null)
                    {
                        var at = full.IndexOf("}}", slice.Index, slice.Length, StringComparison.Ordinal);
                        if (at >= 0)
                        {
                            _text.Report(DiagnosticDescriptors.StrayTemplateBlockClose, at, at + 2);
                        }
                    }
                }
            });

            if (open && lastEnter != null)
            {
                var start = lastEnter.Span.Start.Offset;
                _text.Report(DiagnosticDescriptors.UnterminatedTemplateBlock, start, Math.Max(start, lastEnter.Span.End.Offset) + 1);
            }
        }

        private static void Walk(ScriptNode node, Action<ScriptNode> visit)
        {
            // Depth is bounded by Scriban's expression depth limit.
            visit(node);
            for (var i = 0; i < node.ChildrenCount; i++)
            {
                var child = node.GetChildren(i);
                if (child != null)
                {
                    Walk(child, visit);
                }
            }
        }

        // ---- statements ----

        private List<TemplateNode> ReadBlock(ScriptBlockStatement? block)
        {
            var nodes = new List<TemplateNode>();
            if (block is null)
            {
                return nodes;
            }

            foreach (var statement in block.Statements)
            {
                ReadStatement(statement, nodes);
            }

            return nodes;
        }

        private void ReadStatement(ScriptStatement? statement, List<TemplateNode> nodes)
        {
            switch (statement)
            {
                case null:
                case ScriptEscapeStatement _:
                case ScriptEndStatement _:
                case ScriptNopStatement _:
                    return;
                case ScriptRawStatement raw:
                    var text = raw.Text.ToString();
                    if (text.Length > 0)
                    {
                        nodes.Add(new TextNode(text, Start(raw), End(raw)));
                    }

                    return;
                case ScriptExpressionStatement expressionStatement:
                    if (expressionStatement.Expression is ScriptAssignExpression assign)
                    {
                        var equal = (ScriptNode?)assign.EqualToken ?? assign;
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, Start(equal), End(equal), "An assignment ('" + Source(assign) + "')", "a reply cannot set variables; write the value where it is needed");
                        return;
                    }

                    var expression = ReadExpression(expressionStatement.Expression, output: true);
                    if (expression != null)
                    {
                        nodes.Add(new OutputNode(expression, Start(expressionStatement), End(expressionStatement)));
                    }

                    return;
                case ScriptIfStatement ifStatement:
                    nodes.Add(ReadIf(ifStatement));
                    return;
                case ScriptTableRowStatement tableRow:
                    Unsupported(tableRow, "'tablerow'", "loop with '{{ for line in cart.lines }}...{{ end }}'");
                    return;
                case ScriptForStatement forStatement:
                    var forNode = ReadFor(forStatement);
                    if (forNode != null)
                    {
                        nodes.Add(forNode);
                    }

                    return;
                default:
                    Unsupported(statement, Describe(statement), AdviceFor(statement));
                    return;
            }
        }

        private IfNode ReadIf(ScriptIfStatement statement)
        {
            var node = new IfNode(Start(statement), End(statement));
            ScriptConditionStatement? current = statement;
            while (current != null)
            {
                if (current is ScriptIfStatement branchIf)
                {
                    var branch = new IfBranch(ReadExpression(branchIf.Condition, output: false), Start(branchIf));
                    branch.Body.AddRange(ReadBlock(branchIf.Then));
                    node.Branches.Add(branch);
                    current = branchIf.Else;
                }
                else if (current is ScriptElseStatement elseStatement)
                {
                    node.Else = ReadBlock(elseStatement.Body);
                    current = null;
                }
                else
                {
                    Unsupported(current, Describe(current), "write '{{ else if ... }}' or '{{ else }}'");
                    current = null;
                }
            }

            return node;
        }

        private ForNode? ReadFor(ScriptForStatement statement)
        {
            if (!(statement.Variable is ScriptVariableGlobal variable))
            {
                var target = (ScriptNode?)statement.Variable ?? statement;
                Unsupported(target, "A loop variable '" + Source(target) + "'", "name the loop variable with a plain name: '{{ for line in cart.lines }}'");
                return null;
            }

            if (statement.NamedArguments != null && statement.NamedArguments.Count > 0)
            {
                var first = statement.NamedArguments[0];
                Unsupported(first, "A loop parameter ('" + Source(first) + "')", "loop over the whole list: '{{ for line in cart.lines }}'");
                return null;
            }

            if (statement.Else != null)
            {
                Unsupported(statement.Else, "'{{ else }}' inside a 'for' loop", "test the list before the loop: '{{ if cart.count > 0 }}{{ for line in cart.lines }}...{{ end }}{{ else }}...{{ end }}'");
                return null;
            }

            var list = ReadExpression(statement.Iterator, output: false);
            var node = new ForNode(variable.Name, Start(variable), list, Start(statement), End(statement));
            node.Body.AddRange(ReadBlock(statement.Body));
            return node;
        }

        // ---- expressions ----

        private TemplateExpression? ReadExpression(ScriptExpression? expression, bool output)
        {
            switch (expression)
            {
                case null:
                    return null;
                case ScriptNestedExpression nested:
                    return ReadExpression(nested.Expression, output);
                case ScriptVariableGlobal global:
                    return new NameExpression(global.Name, Start(global), End(global));
                case ScriptVariable variable:
                    Unsupported(variable, "The variable '" + Source(variable) + "'", "name a fact, slot or built-in value without '$' or a loop keyword, for example '{{ shop.name }}'");
                    return null;
                case ScriptMemberExpression loop when loop.Target is ScriptVariableGlobal keyword && (keyword.Name == "for" || keyword.Name == "while" || keyword.Name == "tablerow"):
                    Unsupported(loop, "Scriban's loop variable '" + Source(loop) + "'", "a reply loop writes every line the same way; name the line's members, for example '{{ line.name }}'");
                    return null;
                case ScriptIndexerExpression indexer:
                    var bracket = (ScriptNode?)indexer.OpenBracket ?? indexer;
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, Start(bracket), End(indexer), "Indexing ('" + Source(indexer) + "')", AdviceFor(indexer));
                    return null;
                case ScriptMemberExpression member:
                    var target = ReadExpression(member.Target, output: false);
                    if (target is null)
                    {
                        return null;
                    }

                    if (!(member.Member is ScriptVariableGlobal name))
                    {
                        Unsupported(member, "The member access '" + Source(member) + "'", "name a member, for example '{{ shop.name }}'");
                        return null;
                    }

                    return new MemberExpression(target, name.Name, Start(name), End(member));
                case ScriptLiteral literal:
                    return ReadLiteral(literal, negative: false, literal);
                case ScriptUnaryExpression unary when unary.Operator == ScriptUnaryOperator.Not:
                    var operand = ReadExpression(unary.Right, output: false);
                    return operand is null ? null : new UnaryExpression(operand, Start(unary));
                case ScriptUnaryExpression negate when negate.Operator == ScriptUnaryOperator.Negate && negate.Right is ScriptLiteral number && IsNumber(number.Value):
                    return ReadLiteral(number, negative: true, negate);
                case ScriptBinaryExpression binary:
                    return ReadBinary(binary);
                case ScriptPipeCall pipe:
                    return ReadPipe(pipe, output);
                case ScriptFunctionCall call:
                    var callee = call.Target is ScriptVariableGlobal g ? g.Name : Source(call.Target);
                    Unsupported(call, "Calling '" + callee + "' with arguments", AdviceForCall(callee));
                    return null;
                default:
                    Unsupported(expression, Describe(expression), AdviceFor(expression));
                    return null;
            }
        }

        private TemplateExpression? ReadLiteral(ScriptLiteral literal, bool negative, ScriptNode whole)
        {
            var start = Start(whole);
            var end = End(whole);
            switch (literal.Value)
            {
                case string text:
                    return new LiteralExpression(LiteralKind.String, text, start, end);
                case bool b:
                    return new LiteralExpression(LiteralKind.Bool, b ? "true" : "false", start, end);
                case null:
                    Unsupported(literal, "'null'", "test a slot alone ('{{ if budget }}') to ask whether it is filled");
                    return null;
                default:
                    if (!IsNumber(literal.Value))
                    {
                        Unsupported(literal, "The literal '" + Source(literal) + "'", "write a number, a quoted text, true or false");
                        return null;
                    }

                    // The number as written (Scriban reads it as int, long or double; the binder
                    // reads the same digits as a decimal, so 0.1 stays 0.1).
                    var digits = Source(literal);
                    if (!IsPlainNumber(digits))
                    {
                        Unsupported(literal, "The number '" + digits + "'", "write digits with an optional decimal point, for example 599 or 1.08");
                        return null;
                    }

                    return new LiteralExpression(LiteralKind.Number, negative ? "-" + digits : digits, start, end);
            }
        }

        private TemplateExpression? ReadBinary(ScriptBinaryExpression binary)
        {
            string op;
            switch (binary.Operator)
            {
                case ScriptBinaryOperator.And: op = "&&"; break;
                case ScriptBinaryOperator.Or: op = "||"; break;
                case ScriptBinaryOperator.CompareEqual: op = "=="; break;
                case ScriptBinaryOperator.CompareNotEqual: op = "!="; break;
                case ScriptBinaryOperator.CompareLess: op = "<"; break;
                case ScriptBinaryOperator.CompareLessOrEqual: op = "<="; break;
                case ScriptBinaryOperator.CompareGreater: op = ">"; break;
                case ScriptBinaryOperator.CompareGreaterOrEqual: op = ">="; break;
                case ScriptBinaryOperator.EmptyCoalescing:
                case ScriptBinaryOperator.NotEmptyCoalescing:
                    UnsupportedOperator(binary, "write '| default \"text\"' for a value that may be missing");
                    return null;
                default:
                    UnsupportedOperator(binary, "replies do not compute; compare values with == != < <= > >= and combine conditions with && || !");
                    return null;
            }

            var left = ReadExpression(binary.Left, output: false);
            var right = ReadExpression(binary.Right, output: false);
            if (left is null || right is null)
            {
                return null;
            }

            // Comparisons do not chain in replies: Scriban would compare a bool with the third value.
            if (IsComparison(op) && (IsComparison(left) || IsComparison(right)))
            {
                _text.Report(DiagnosticDescriptors.TemplateSyntaxError, Start(binary), End(binary), "comparisons do not chain ('" + Source(binary) + "')", "write 'a < b && b < c'");
                return null;
            }

            var operatorStart = binary.OperatorToken != null ? Start(binary.OperatorToken) : left.End;
            return new BinaryExpression(op, left, right, operatorStart);
        }

        private TemplateExpression? ReadPipe(ScriptPipeCall pipe, bool output)
        {
            // Scriban nests 'a | f | g' to the right (a | (f | g)); the stages in order are a, f, g.
            var stages = new List<ScriptExpression>();
            CollectStages(pipe, stages);
            var value = ReadExpression(stages[0], output: false);
            if (value is null)
            {
                return null;
            }

            if (!output)
            {
                var firstFilter = stages[1];
                _text.Report(
                    DiagnosticDescriptors.UnsupportedTemplateConstruct,
                    Start(firstFilter),
                    End(firstFilter),
                    "A filter inside a condition or comparison",
                    "filters only format what '{{ ... }}' writes; compare the value itself");
                return null;
            }

            for (var i = 1; i < stages.Count; i++)
            {
                var stage = stages[i];
                ScriptExpression? nameNode;
                IReadOnlyList<ScriptExpression> arguments;
                if (stage is ScriptFunctionCall call)
                {
                    nameNode = call.Target;
                    arguments = (IReadOnlyList<ScriptExpression>?)call.Arguments ?? Array.Empty<ScriptExpression>();
                }
                else
                {
                    nameNode = stage;
                    arguments = Array.Empty<ScriptExpression>();
                }

                var name = nameNode is ScriptVariableGlobal global ? global.Name : Source(nameNode ?? stage);
                var nameStart = Start(nameNode ?? stage);
                var nameEnd = End(nameNode ?? stage);
                var readArguments = new List<TemplateExpression>();
                foreach (var argument in arguments)
                {
                    var read = ReadExpression(argument, output: false);
                    if (read is null)
                    {
                        return null;
                    }

                    readArguments.Add(read);
                }

                value = new FilterExpression(value, name, nameStart, nameEnd, readArguments, Math.Max(nameEnd, End(stage)));
            }

            return value;
        }

        private static void CollectStages(ScriptExpression? expression, List<ScriptExpression> stages)
        {
            if (expression is ScriptPipeCall pipe)
            {
                CollectStages(pipe.From, stages);
                CollectStages(pipe.To, stages);
            }
            else if (expression != null)
            {
                stages.Add(expression);
            }
        }

        // ---- wording and positions ----

        private void Unsupported(ScriptNode node, string what, string fix) =>
            _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, Start(node), End(node), what, fix);

        private void UnsupportedOperator(ScriptBinaryExpression binary, string fix)
        {
            var token = (ScriptNode?)binary.OperatorToken ?? binary;
            _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, Start(token), End(token), "The operator '" + binary.OperatorAsText + "'", fix);
        }

        private static string Describe(ScriptNode node)
        {
            var syntax = ScriptSyntaxAttribute.Get(node);
            var name = syntax?.TypeName ?? node.GetType().Name;
            return "Scriban's " + name + (syntax?.Example is string example && example.Length > 0 ? " ('" + example + "')" : string.Empty);
        }

        private static string AdviceFor(ScriptNode node)
        {
            switch (node)
            {
                case ScriptWhileStatement _:
                    return "loop with '{{ for line in cart.lines }}...{{ end }}'";
                case ScriptCaseStatement _:
                case ScriptWhenStatement _:
                    return "write '{{ if room == \"客厅\" }}...{{ else if room == \"卧室\" }}...{{ else }}...{{ end }}'";
                case ScriptCaptureStatement _:
                case ScriptFunction _:
                case ScriptWithStatement _:
                case ScriptWrapStatement _:
                case ScriptImportStatement _:
                case ScriptReadOnlyStatement _:
                    return "a reply is text with values, conditions and loops; " + Supported;
                case ScriptBreakStatement _:
                case ScriptContinueStatement _:
                case ScriptReturnStatement _:
                    return "a reply loop runs over every line; put the text inside '{{ if }}...{{ end }}' instead";
                case ScriptIndexerExpression _:
                    return "loop over the list with '{{ for line in cart.lines }}' and name a member, for example '{{ line.name }}'";
                case ScriptIsEmptyExpression _:
                    return "test a slot alone ('{{ if budget }}') to ask whether it is filled";
                case ScriptInterpolatedExpression _:
                    return "write the text and the value next to each other: '亲 {{ name }}'";
                default:
                    return Supported;
            }
        }

        private static string AdviceForCall(string callee)
        {
            switch (callee)
            {
                case "not":
                    return "Scriban's 'not' is '!': write '{{ if !budget }}'";
                case "and":
                case "or":
                    return "Scriban combines conditions with '&&' and '||'";
                case "money":
                case "date":
                case "default":
                    return "filters come after the value: '{{ budget | " + callee + (callee == "money" ? string.Empty : " \"...\"") + " }}'";
                default:
                    return "a reply calls no functions; " + Supported;
            }
        }

        private static bool IsComparison(string op) => op != "&&" && op != "||";

        private static bool IsComparison(TemplateExpression expression) => expression is BinaryExpression b && IsComparison(b.Operator);

        private static bool IsNumber(object? value) =>
            value is int || value is long || value is double || value is float || value is decimal || value is System.Numerics.BigInteger;

        private static bool IsPlainNumber(string text)
        {
            var dot = false;
            var digits = 0;
            foreach (var c in text)
            {
                if (c >= '0' && c <= '9')
                {
                    digits++;
                }
                else if (c == '.' && !dot && digits > 0)
                {
                    dot = true;
                }
                else
                {
                    return false;
                }
            }

            return digits > 0 && text[text.Length - 1] != '.';
        }

        private string Source(ScriptNode? node) => node is null ? string.Empty : _text.Slice(Start(node), End(node));

        private static int Start(ScriptNode node) => Math.Max(0, node.Span.Start.Offset);

        /// <summary>Scriban's End is inclusive (and 0 on some synthesized nodes); ours is exclusive.</summary>
        private static int End(ScriptNode node) => Math.Max(Start(node), node.Span.End.Offset) + 1;
    }
}
