using System;
using System.Collections.Generic;
using System.Text;
using ScriptDsl.Generator.Diagnostics;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Text → syntax tree for the supported Scriban subset.
    /// Hand-written (a scanner for text and {{ }} blocks, then recursive descent per block) rather than
    /// Sprache because: every error must point at an exact column inside a one-line string whose
    /// escapes shift columns; one bad block must not hide the errors of the next ones (recovery at
    /// block boundaries is natural here and awkward with combinators); and the grammar is a dozen
    /// rules, so the combinator library would buy little. The parser never throws: every problem is
    /// reported on <see cref="TemplateText"/> and parsing continues with the next block.
    /// </summary>
    internal sealed class TemplateParser
    {
        private static readonly string[] UnsupportedStatementKeywords =
        {
            "while", "capture", "case", "when", "func", "ret", "break", "continue", "with", "wrap",
            "include", "import", "readonly", "tablerow", "unless", "raw", "endraw", "assign", "cycle",
        };

        // Those of them that Scriban closes with '{{ end }}'.
        private static readonly string[] UnsupportedBlockKeywords = { "while", "capture", "case", "func", "with", "wrap", "tablerow", "unless" };

        private static readonly string[] TwoCharacterOperators = { "==", "!=", "<=", ">=", "&&", "||" };

        // Deeper nesting is not a reply anyone writes; the limits keep the recursive binder and
        // emitter far from a stack overflow, which no catch could turn into a diagnostic.
        private const int MaxExpressionDepth = 32;
        private const int MaxBlockDepth = 32;

        // Left-nested chains (a && b && ..., a.b.c..., x | f | g ...) recurse in the binder too.
        private const int MaxChainLength = 32;

        private readonly TemplateText _text;
        private int _expressionDepth;

        private TemplateParser(TemplateText text)
        {
            _text = text;
        }

        public static List<TemplateNode> Parse(TemplateText text) => new TemplateParser(text).ParseTemplate();

        private sealed class Piece
        {
            public Piece(int start, int end)
            {
                Start = start;
                End = end;
                TextStart = start;
                TextEnd = end;
            }

            public int Start { get; }

            public int End { get; }

            public bool IsBlock { get; set; }

            public bool TrimLeft { get; set; }

            public bool TrimRight { get; set; }

            public List<Token>? Tokens { get; set; }

            // For text pieces, the part left after whitespace control.
            public int TextStart { get; set; }

            public int TextEnd { get; set; }
        }

        private sealed class Frame
        {
            public Frame(TemplateNode node, List<TemplateNode> body, int openStart, int openEnd)
            {
                Node = node;
                Body = body;
                OpenStart = openStart;
                OpenEnd = openEnd;
            }

            public TemplateNode Node { get; }

            public List<TemplateNode> Body { get; set; }

            public int OpenStart { get; }

            public int OpenEnd { get; }

            public bool SawElse { get; set; }

            /// <summary>An unsupported block (already reported) kept only so its '{{ end }}' matches.</summary>
            public bool Discarded { get; set; }
        }

        private List<TemplateNode> ParseTemplate()
        {
            var pieces = Split();
            ApplyWhitespaceControl(pieces);

            var root = new List<TemplateNode>();
            var stack = new Stack<Frame>();
            foreach (var piece in pieces)
            {
                var body = stack.Count == 0 ? root : stack.Peek().Body;
                if (!piece.IsBlock)
                {
                    if (piece.TextEnd > piece.TextStart)
                    {
                        body.Add(new TextNode(_text.Text.Substring(piece.TextStart, piece.TextEnd - piece.TextStart), piece.TextStart, piece.TextEnd));
                    }

                    continue;
                }

                ParseBlock(piece, body, stack);
            }

            while (stack.Count > 0)
            {
                var frame = stack.Pop();
                if (frame.Discarded)
                {
                    continue;
                }

                var keyword = frame.Node is IfNode ? "if" : "for";
                _text.Report(
                    DiagnosticDescriptors.UnbalancedTemplateBlock,
                    frame.OpenStart,
                    frame.OpenEnd,
                    "'{{ " + keyword + " }}' is never closed",
                    "add '{{ end }}' where the " + keyword + " block ends");
            }

            return root;
        }

        // ---- scanning: text and {{ }} blocks ----

        private List<Piece> Split()
        {
            var t = _text.Text;
            var n = t.Length;
            var pieces = new List<Piece>();
            var textStart = 0;
            var i = 0;
            while (i < n)
            {
                if (t[i] == '{' && i + 1 < n && t[i + 1] == '{')
                {
                    if (i > textStart)
                    {
                        pieces.Add(new Piece(textStart, i));
                    }

                    var block = ScanBlock(i);
                    if (block is null)
                    {
                        // Unterminated: the rest of the template belongs to the broken block.
                        return pieces;
                    }

                    pieces.Add(block);
                    i = block.End;
                    textStart = i;
                    continue;
                }

                if (t[i] == '}' && i + 1 < n && t[i + 1] == '}')
                {
                    _text.Report(DiagnosticDescriptors.StrayTemplateBlockClose, i, i + 2);
                    i += 2;
                    continue;
                }

                i++;
            }

            if (n > textStart)
            {
                pieces.Add(new Piece(textStart, n));
            }

            return pieces;
        }

        /// <summary>Scans the block opening at <paramref name="open"/>; null (reported) when it never closes.</summary>
        private Piece? ScanBlock(int open)
        {
            var t = _text.Text;
            var n = t.Length;
            var tokens = new List<Token>();
            var k = open + 2;
            var trimLeft = false;
            if (k < n && t[k] == '-')
            {
                trimLeft = true;
                k++;
            }
            else if (k < n && t[k] == '~')
            {
                _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, open, k + 1, "Whitespace control '{{~'", "use '{{-', which removes all whitespace before the block");
                k++;
            }

            while (true)
            {
                while (k < n && char.IsWhiteSpace(t[k]))
                {
                    k++;
                }

                if (k >= n)
                {
                    _text.Report(DiagnosticDescriptors.UnterminatedTemplateBlock, open, open + 2);
                    return null;
                }

                var c = t[k];
                if (c == '}' && k + 1 < n && t[k + 1] == '}')
                {
                    return new Piece(open, k + 2) { IsBlock = true, Tokens = tokens, TrimLeft = trimLeft };
                }

                if ((c == '-' || c == '~') && k + 2 < n && t[k + 1] == '}' && t[k + 2] == '}')
                {
                    if (c == '~')
                    {
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, k, k + 3, "Whitespace control '~}}'", "use '-}}', which removes all whitespace after the block");
                    }

                    return new Piece(open, k + 3) { IsBlock = true, Tokens = tokens, TrimLeft = trimLeft, TrimRight = c == '-' };
                }

                var token = LexToken(ref k);
                if (token is null)
                {
                    // An unterminated string swallowed the rest (reported).
                    return null;
                }

                tokens.Add(token);
            }
        }

        private Token? LexToken(ref int k)
        {
            var t = _text.Text;
            var n = t.Length;
            var start = k;
            var c = t[k];

            if (IsIdentifierStart(t, k))
            {
                k++;
                while (k < n && IsIdentifierPart(t, k))
                {
                    k++;
                }

                return new Token(TokenKind.Identifier, t.Substring(start, k - start), start, k);
            }

            if (c >= '0' && c <= '9')
            {
                while (k < n && t[k] >= '0' && t[k] <= '9')
                {
                    k++;
                }

                if (k + 1 < n && t[k] == '.' && t[k + 1] >= '0' && t[k + 1] <= '9')
                {
                    k++;
                    while (k < n && t[k] >= '0' && t[k] <= '9')
                    {
                        k++;
                    }
                }

                return new Token(TokenKind.Number, t.Substring(start, k - start), start, k);
            }

            if (c == '"' || c == '\'')
            {
                return LexString(ref k);
            }

            if (k + 1 < n)
            {
                var two = t.Substring(k, 2);
                foreach (var op in TwoCharacterOperators)
                {
                    if (string.Equals(two, op, StringComparison.Ordinal))
                    {
                        k += 2;
                        return new Token(TokenKind.Operator, op, start, k);
                    }
                }
            }

            k += char.IsHighSurrogate(c) && k + 1 < n ? 2 : 1;
            var single = t.Substring(start, k - start);
            return "<>!|.()".IndexOf(c) >= 0
                ? new Token(TokenKind.Operator, single, start, k)
                : new Token(TokenKind.Other, single, start, k);
        }

        private Token? LexString(ref int k)
        {
            var t = _text.Text;
            var n = t.Length;
            var start = k;
            var quote = t[k];
            k++;
            var value = new StringBuilder();
            while (k < n && t[k] != quote)
            {
                if (t[k] == '\\')
                {
                    var next = k + 1 < n ? t[k + 1] : '\0';
                    switch (next)
                    {
                        case '"':
                        case '\'':
                        case '\\':
                            value.Append(next);
                            k += 2;
                            continue;
                        case 'n':
                            value.Append('\n');
                            k += 2;
                            continue;
                        case 't':
                            value.Append('\t');
                            k += 2;
                            continue;
                        default:
                            _text.Report(
                                DiagnosticDescriptors.InvalidTemplateEscape,
                                k,
                                Math.Min(n, k + 2),
                                k + 1 < n ? t[k + 1].ToString() : string.Empty,
                                "in a template string",
                                "\\\" \\' \\\\ \\n \\t");
                            value.Append('\\');
                            k++;
                            continue;
                    }
                }

                value.Append(t[k]);
                k++;
            }

            if (k >= n)
            {
                _text.Report(
                    DiagnosticDescriptors.TemplateSyntaxError,
                    start,
                    n,
                    "the string starting here is never closed",
                    "end it with " + quote + " before '}}'");
                return null;
            }

            k++;
            return new Token(TokenKind.String, value.ToString(), start, k);
        }

        // As Scriban's lexer: a letter (CJK included) or '_', then letters, digits or '_', char by char
        // (so a letter outside the BMP is not an identifier there, nor here).
        private static bool IsIdentifierStart(string t, int k) => t[k] == '_' || char.IsLetter(t[k]);

        private static bool IsIdentifierPart(string t, int k) => t[k] == '_' || char.IsLetterOrDigit(t[k]);

        /// <summary>Scriban: '{{-' removes all whitespace (newlines included) before the block, '-}}' all after it.</summary>
        private void ApplyWhitespaceControl(List<Piece> pieces)
        {
            var t = _text.Text;
            for (var i = 0; i < pieces.Count; i++)
            {
                var piece = pieces[i];
                if (!piece.IsBlock)
                {
                    continue;
                }

                if (piece.TrimLeft && i > 0 && !pieces[i - 1].IsBlock)
                {
                    var before = pieces[i - 1];
                    while (before.TextEnd > before.TextStart && char.IsWhiteSpace(t[before.TextEnd - 1]))
                    {
                        before.TextEnd--;
                    }
                }

                if (piece.TrimRight && i + 1 < pieces.Count && !pieces[i + 1].IsBlock)
                {
                    var after = pieces[i + 1];
                    while (after.TextStart < after.TextEnd && char.IsWhiteSpace(t[after.TextStart]))
                    {
                        after.TextStart++;
                    }
                }
            }
        }

        // ---- statements ----

        private void ParseBlock(Piece piece, List<TemplateNode> body, Stack<Frame> stack)
        {
            var tokens = piece.Tokens ?? new List<Token>();
            if (tokens.Count == 0)
            {
                // '{{ }}' is valid Scriban and writes nothing.
                return;
            }

            var reader = new TokenReader(tokens, piece.End);
            var first = tokens[0];
            if (first.Kind == TokenKind.Identifier)
            {
                switch (first.Text)
                {
                    case "if":
                        reader.Next();
                        ParseIf(piece, reader, body, stack);
                        return;
                    case "else":
                        reader.Next();
                        ParseElse(piece, reader, stack);
                        return;
                    case "end":
                        reader.Next();
                        ParseEnd(piece, reader, stack);
                        return;
                    case "for":
                        if (tokens.Count > 1 && tokens[1].IsOperator("."))
                        {
                            break; // for.index and friends: reported by the expression parser
                        }

                        reader.Next();
                        ParseFor(piece, reader, body, stack);
                        return;
                }

                foreach (var keyword in UnsupportedStatementKeywords)
                {
                    if (string.Equals(first.Text, keyword, StringComparison.Ordinal))
                    {
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, first.Start, first.End, "The '" + keyword + "' statement", "rewrite the reply with if/else and for");
                        if (Array.IndexOf(UnsupportedBlockKeywords, keyword) >= 0)
                        {
                            // Its '{{ end }}' belongs to it: swallow the block instead of reporting that end too.
                            var discarded = new ForNode(string.Empty, first.Start, null, piece.Start, piece.End);
                            stack.Push(new Frame(discarded, discarded.Body, piece.Start, piece.End) { Discarded = true });
                        }

                        return;
                    }
                }
            }

            if (first.Kind == TokenKind.Other && first.Text == "#")
            {
                _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, first.Start, first.End, "A '#' comment", "write comments in the .csdsl file with '//', outside the string");
                return;
            }

            var expression = ParseExpression(reader);
            if (expression is null || !ExpectBlockEnd(reader))
            {
                return;
            }

            body.Add(new OutputNode(expression, piece.Start, piece.End));
        }

        private void ParseIf(Piece piece, TokenReader reader, List<TemplateNode> body, Stack<Frame> stack)
        {
            var node = new IfNode(piece.Start, piece.End);
            TemplateExpression? condition = null;
            if (reader.AtEnd)
            {
                ReportSyntax(reader.EndPosition, reader.EndPosition, "'if' needs a condition", "write for example '{{ if room == \"客厅\" }}'");
            }
            else
            {
                condition = ParseExpression(reader);
                if (condition != null && !ExpectBlockEnd(reader))
                {
                    condition = null;
                }
            }

            if (stack.Count >= MaxBlockDepth)
            {
                ReportSyntax(piece.Start, piece.End, "if/for blocks are nested more than " + MaxBlockDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " deep", "split the reply into simpler variants");
                condition = null;
            }

            var branch = new IfBranch(condition, piece.Start);
            node.Branches.Add(branch);
            body.Add(node);

            // Pushed even when the condition is broken, so its {{ end }} still matches.
            stack.Push(new Frame(node, branch.Body, piece.Start, piece.End));
        }

        private void ParseElse(Piece piece, TokenReader reader, Stack<Frame> stack)
        {
            if (stack.Count > 0 && stack.Peek().Discarded)
            {
                return;
            }

            if (stack.Count == 0 || !(stack.Peek().Node is IfNode ifNode))
            {
                if (stack.Count > 0)
                {
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, piece.Start, piece.End, "'{{ else }}' inside '{{ for }}'", "test the list with '{{ if cart.count > 0 }}' around the loop");
                }
                else
                {
                    _text.Report(DiagnosticDescriptors.UnbalancedTemplateBlock, piece.Start, piece.End, "'{{ else }}' has no '{{ if }}' before it", "add '{{ if condition }}' before it or remove it");
                }

                return;
            }

            var frame = stack.Peek();
            if (frame.SawElse)
            {
                _text.Report(DiagnosticDescriptors.UnbalancedTemplateBlock, piece.Start, piece.End, "'{{ else }}' comes after the final '{{ else }}' of this if", "put '{{ else if ... }}' branches before the final '{{ else }}', or close the if with '{{ end }}'");
                return;
            }

            if (reader.AtEnd)
            {
                frame.SawElse = true;
                ifNode.Else = new List<TemplateNode>();
                frame.Body = ifNode.Else;
                return;
            }

            if (!reader.Peek!.IsIdentifier("if"))
            {
                ReportSyntax(reader.Peek.Start, reader.Peek.End, "'" + reader.Peek.Text + "' after 'else'", "write '{{ else }}' or '{{ else if condition }}'");
                return;
            }

            var ifToken = reader.Next()!;
            TemplateExpression? condition = null;
            if (reader.AtEnd)
            {
                ReportSyntax(ifToken.Start, ifToken.End, "'else if' needs a condition", "write for example '{{ else if room == \"卧室\" }}'");
            }
            else
            {
                condition = ParseExpression(reader);
                if (condition != null && !ExpectBlockEnd(reader))
                {
                    condition = null;
                }
            }

            var branch = new IfBranch(condition, piece.Start);
            ifNode.Branches.Add(branch);
            frame.Body = branch.Body;
        }

        private void ParseEnd(Piece piece, TokenReader reader, Stack<Frame> stack)
        {
            if (!reader.AtEnd)
            {
                ReportSyntax(reader.Peek!.Start, reader.Peek.End, "'" + reader.Peek.Text + "' after 'end'", "write '{{ end }}' alone");
            }

            if (stack.Count == 0)
            {
                _text.Report(DiagnosticDescriptors.UnbalancedTemplateBlock, piece.Start, piece.End, "'{{ end }}' has no '{{ if }}' or '{{ for }}' to close", "remove it, or open the block it should close");
                return;
            }

            stack.Pop();
        }

        private void ParseFor(Piece piece, TokenReader reader, List<TemplateNode> body, Stack<Frame> stack)
        {
            var variable = reader.Peek;
            string name = string.Empty;
            var variableStart = piece.Start;
            TemplateExpression? list = null;
            var ok = true;
            if (variable is null || variable.Kind != TokenKind.Identifier)
            {
                var at = variable?.Start ?? reader.EndPosition;
                ReportSyntax(at, variable?.End ?? at, "'for' needs a loop variable", "write '{{ for line in cart.lines }}'");
                ok = false;
            }
            else
            {
                reader.Next();
                name = variable.Text;
                variableStart = variable.Start;
                var inToken = reader.Peek;
                if (inToken is null || !inToken.IsIdentifier("in"))
                {
                    var at = inToken?.Start ?? reader.EndPosition;
                    ReportSyntax(at, inToken?.End ?? at, "'in' expected after 'for " + name + "'", "write '{{ for " + name + " in cart.lines }}'");
                    ok = false;
                }
                else
                {
                    reader.Next();
                    if (reader.AtEnd)
                    {
                        ReportSyntax(reader.EndPosition, reader.EndPosition, "'for " + name + " in' needs a list", "write '{{ for " + name + " in cart.lines }}'");
                        ok = false;
                    }
                    else
                    {
                        list = ParseExpression(reader);
                        if (list != null && !reader.AtEnd)
                        {
                            var extra = reader.Peek!;
                            if (extra.Kind == TokenKind.Identifier)
                            {
                                _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, extra.Start, extra.End, "The for-loop parameter '" + extra.Text + "'", "loop over the whole list: '{{ for " + name + " in cart.lines }}'");
                            }
                            else
                            {
                                ExpectBlockEnd(reader);
                            }

                            list = null;
                        }
                    }
                }
            }

            if (ok && stack.Count >= MaxBlockDepth)
            {
                ReportSyntax(piece.Start, piece.End, "if/for blocks are nested more than " + MaxBlockDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " deep", "split the reply into simpler variants");
                ok = false;
                list = null;
            }

            var node = new ForNode(ok ? name : string.Empty, variableStart, list, piece.Start, piece.End);
            body.Add(node);
            stack.Push(new Frame(node, node.Body, piece.Start, piece.End));
        }

        // ---- expressions: pipe < || < && < comparison < ! < primary ----

        private sealed class TokenReader
        {
            private readonly List<Token> _tokens;
            private int _index;

            public TokenReader(List<Token> tokens, int blockEnd)
            {
                _tokens = tokens;
                EndPosition = tokens.Count > 0 ? tokens[tokens.Count - 1].End : blockEnd;
            }

            public int EndPosition { get; }

            public bool AtEnd => _index >= _tokens.Count;

            public Token? Peek => _index < _tokens.Count ? _tokens[_index] : null;

            public Token? PeekAt(int ahead) => _index + ahead < _tokens.Count ? _tokens[_index + ahead] : null;

            public Token? Next() => _index < _tokens.Count ? _tokens[_index++] : null;
        }

        private bool ExpectBlockEnd(TokenReader reader)
        {
            if (reader.AtEnd)
            {
                return true;
            }

            ReportUnexpected(reader.Peek!, reader);
            return false;
        }

        private void ReportSyntax(int start, int end, string what, string fix) =>
            _text.Report(DiagnosticDescriptors.TemplateSyntaxError, start, end, what, fix);

        private void ReportUnexpected(Token token, TokenReader reader)
        {
            switch (token.Kind)
            {
                case TokenKind.Other when token.Text == "=":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Assignment with '='", "templates only read values; compare with '==' inside '{{ if }}'");
                    return;
                case TokenKind.Other when "+-*/%".IndexOf(token.Text[0]) >= 0:
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Arithmetic '" + token.Text + "'", "compute the value in the policy or as a fact and write it with '{{ name }}'");
                    return;
                case TokenKind.Identifier:
                case TokenKind.Number:
                case TokenKind.String:
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "A function call with arguments (the value is followed by '" + token.Text + "')", "write one value per block, filters with '|'");
                    return;
                default:
                    ReportSyntax(token.Start, token.End, "unexpected '" + token.Text + "'", reader.AtEnd ? "remove it" : "end the block with '}}' after the value, or use one of the supported operators == != < <= > >= && || ! |");
                    return;
            }
        }

        private TemplateExpression? ParseExpression(TokenReader reader)
        {
            if (!Enter(reader))
            {
                return null;
            }

            try
            {
                return ParseFilters(reader);
            }
            finally
            {
                _expressionDepth--;
            }
        }

        private bool Enter(TokenReader reader)
        {
            _expressionDepth++;
            if (_expressionDepth <= MaxExpressionDepth)
            {
                return true;
            }

            var at = reader.Peek?.Start ?? reader.EndPosition;
            ReportSyntax(at, reader.Peek?.End ?? at, "the expression is nested more than " + MaxExpressionDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " deep", "write a simpler condition");
            _expressionDepth--;
            return false;
        }

        private bool ChainTooLong(int links, Token at)
        {
            if (links <= MaxChainLength)
            {
                return false;
            }

            ReportSyntax(at.Start, at.End, "more than " + MaxChainLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " operators, members or filters in a row", "write a simpler expression");
            return true;
        }

        private TemplateExpression? ParseFilters(TokenReader reader)
        {
            var left = ParseOr(reader);
            var links = 0;
            while (left != null && reader.Peek != null && reader.Peek.IsOperator("|"))
            {
                if (ChainTooLong(++links, reader.Peek))
                {
                    return null;
                }

                reader.Next();
                var name = reader.Peek;
                if (name is null || name.Kind != TokenKind.Identifier)
                {
                    var at = name?.Start ?? reader.EndPosition;
                    ReportSyntax(at, name?.End ?? at, "a filter name is expected after '|'", "write '| money', '| date \"M月d日\"' or '| default \"...\"'");
                    return null;
                }

                reader.Next();
                var filterName = name.Text;
                var filterEnd = name.End;
                while (reader.Peek != null && reader.Peek.IsOperator(".") && reader.PeekAt(1)?.Kind == TokenKind.Identifier)
                {
                    reader.Next();
                    var part = reader.Next()!;
                    filterName += "." + part.Text;
                    filterEnd = part.End;
                }

                var arguments = new List<TemplateExpression>();
                var end = filterEnd;
                while (reader.Peek != null && IsArgumentStart(reader.Peek))
                {
                    var argument = ParsePrimary(reader);
                    if (argument is null)
                    {
                        return null;
                    }

                    arguments.Add(argument);
                    end = argument.End;
                }

                left = new FilterExpression(left, filterName, name.Start, filterEnd, arguments, end);
            }

            return left;
        }

        private static bool IsArgumentStart(Token token) =>
            token.Kind == TokenKind.String || token.Kind == TokenKind.Number || token.Kind == TokenKind.Identifier || token.IsOperator("(");

        private TemplateExpression? ParseOr(TokenReader reader)
        {
            var left = ParseAnd(reader);
            var links = 0;
            while (left != null && reader.Peek != null && reader.Peek.IsOperator("||"))
            {
                var op = reader.Next()!;
                if (ChainTooLong(++links, op))
                {
                    return null;
                }

                var right = ParseAnd(reader);
                if (right is null)
                {
                    return null;
                }

                left = new BinaryExpression("||", left, right, op.Start);
            }

            return left;
        }

        private TemplateExpression? ParseAnd(TokenReader reader)
        {
            var left = ParseComparison(reader);
            var links = 0;
            while (left != null && reader.Peek != null && reader.Peek.IsOperator("&&"))
            {
                var op = reader.Next()!;
                if (ChainTooLong(++links, op))
                {
                    return null;
                }

                var right = ParseComparison(reader);
                if (right is null)
                {
                    return null;
                }

                left = new BinaryExpression("&&", left, right, op.Start);
            }

            return left;
        }

        private static bool IsComparison(Token token) =>
            token.Kind == TokenKind.Operator && (token.Text == "==" || token.Text == "!=" || token.Text == "<" || token.Text == "<=" || token.Text == ">" || token.Text == ">=");

        private TemplateExpression? ParseComparison(TokenReader reader)
        {
            var left = ParseUnary(reader);
            if (left != null && reader.Peek != null && IsComparison(reader.Peek))
            {
                var op = reader.Next()!;
                var right = ParseUnary(reader);
                if (right is null)
                {
                    return null;
                }

                left = new BinaryExpression(op.Text, left, right, op.Start);
                if (reader.Peek != null && IsComparison(reader.Peek))
                {
                    ReportSyntax(reader.Peek.Start, reader.Peek.End, "comparisons cannot be chained", "join two comparisons with '&&', e.g. 'a < b && b < c'");
                    return null;
                }
            }

            return left;
        }

        private TemplateExpression? ParseUnary(TokenReader reader)
        {
            var token = reader.Peek;
            if (token != null && token.IsOperator("!"))
            {
                reader.Next();
                if (!Enter(reader))
                {
                    return null;
                }

                try
                {
                    var operand = ParseUnary(reader);
                    return operand is null ? null : new UnaryExpression(operand, token.Start);
                }
                finally
                {
                    _expressionDepth--;
                }
            }

            return ParsePrimary(reader);
        }

        private TemplateExpression? ParsePrimary(TokenReader reader)
        {
            var token = reader.Next();
            if (token is null)
            {
                ReportSyntax(reader.EndPosition, reader.EndPosition, "a value is expected before '}}'", "write a name, a quoted text, a number, true or false");
                return null;
            }

            switch (token.Kind)
            {
                case TokenKind.String:
                    return new LiteralExpression(LiteralKind.String, token.Text, token.Start, token.End);
                case TokenKind.Number:
                    return new LiteralExpression(LiteralKind.Number, token.Text, token.Start, token.End);
                case TokenKind.Identifier:
                    return ParseName(token, reader);
                case TokenKind.Operator when token.Text == "(":
                    var inner = ParseExpression(reader);
                    if (inner is null)
                    {
                        return null;
                    }

                    var close = reader.Next();
                    if (close is null || !close.IsOperator(")"))
                    {
                        var at = close?.Start ?? reader.EndPosition;
                        ReportSyntax(at, close?.End ?? at, "')' is missing to close '('", "add ')' after the parenthesized condition");
                        return null;
                    }

                    return inner;
                case TokenKind.Other when token.Text == "-":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Negative numbers and arithmetic '-'", "compare with a positive number, or swap the comparison");
                    return null;
                case TokenKind.Other when token.Text == "[":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Array literals and indexers '[...]'", "loop over 'cart.lines' with '{{ for line in cart.lines }}'");
                    return null;
                case TokenKind.Other when token.Text == "$":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Special variables '$...'", "name facts, slots and built-in values directly");
                    return null;
                case TokenKind.Other when token.Text == "@":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "Function pointers '@'", "name facts, slots and built-in values directly");
                    return null;
                default:
                    ReportUnexpectedPrimary(token);
                    return null;
            }
        }

        private void ReportUnexpectedPrimary(Token token)
        {
            if (token.Kind == TokenKind.Other && "+*/%=".IndexOf(token.Text[0]) >= 0)
            {
                _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "The operator '" + token.Text + "'", "the supported operators are == != < <= > >= && || ! and |");
                return;
            }

            ReportSyntax(token.Start, token.End, "'" + token.Text + "' where a value is expected", "write a name, a quoted text, a number, true or false");
        }

        private TemplateExpression? ParseName(Token token, TokenReader reader)
        {
            switch (token.Text)
            {
                case "true":
                case "false":
                    return new LiteralExpression(LiteralKind.Bool, token.Text, token.Start, token.End);
                case "null":
                case "empty":
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, token.End, "'" + token.Text + "'", "test whether a slot is filled with '{{ if slot }}' or '{{ if !slot }}', or use '| default \"...\"'");
                    return null;
                case "for":
                case "if":
                case "else":
                case "end":
                case "in":
                    if (token.Text == "for" && reader.Peek != null && reader.Peek.IsOperator("."))
                    {
                        var member = reader.PeekAt(1);
                        var end = member?.End ?? reader.Peek.End;
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, token.Start, end, "The loop variable 'for." + (member?.Text ?? string.Empty) + "'", "write the line's own members (sku, name, price, quantity, category, subtotal)");
                        return null;
                    }

                    ReportSyntax(token.Start, token.End, "the keyword '" + token.Text + "' where a value is expected", "'" + token.Text + "' may only start a block, as in '{{ if ... }}', '{{ for x in cart.lines }}', '{{ else }}', '{{ end }}'");
                    return null;
            }

            TemplateExpression result = new NameExpression(token.Text, token.Start, token.End);
            var links = 0;
            while (reader.Peek != null)
            {
                var next = reader.Peek;
                if (next.IsOperator("."))
                {
                    if (ChainTooLong(++links, next))
                    {
                        return null;
                    }

                    reader.Next();
                    var member = reader.Peek;
                    if (member is null || member.Kind != TokenKind.Identifier)
                    {
                        var at = member?.Start ?? next.End;
                        ReportSyntax(next.Start, member?.End ?? at, "a member name is expected after '.'", "write for example 'shop.name'");
                        return null;
                    }

                    reader.Next();
                    result = new MemberExpression(result, member.Text, member.Start, member.End);
                    continue;
                }

                if (next.IsOperator("("))
                {
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, result.Start, next.End, "A function call '" + _text.Slice(result.Start, result.End) + "(...)'", "write a name, and format with the filters money, date or default");
                    return null;
                }

                if (next.Kind == TokenKind.Other && next.Text == "[")
                {
                    _text.Report(DiagnosticDescriptors.UnsupportedTemplateConstruct, next.Start, next.End, "An indexer '[...]'", "loop over the list with '{{ for x in cart.lines }}'");
                    return null;
                }

                break;
            }

            return result;
        }
    }
}
