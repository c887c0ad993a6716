using System.Collections.Generic;

namespace ScriptDsl.Generator.Templates
{
    // The template syntax tree: what ScribanReader keeps of Scriban's own tree (Scriban parses;
    // nothing here is a parser). TemplateBinder translates its expressions into the one unbound
    // condition syntax (Binding/ConditionSyntax.cs). Positions are indices into the decoded template text
    // (TemplateText.PositionAt turns them into .csdsl positions). Internal: the public result of
    // compilation is CompiledTemplate, a value; these classes never leave TemplateCompiler.

    internal abstract class TemplateExpression
    {
        protected TemplateExpression(int start, int end)
        {
            Start = start;
            End = end;
        }

        public int Start { get; }

        public int End { get; }
    }

    internal sealed class NameExpression : TemplateExpression
    {
        public NameExpression(string name, int start, int end)
            : base(start, end)
        {
            Name = name;
        }

        public string Name { get; }
    }

    internal sealed class MemberExpression : TemplateExpression
    {
        public MemberExpression(TemplateExpression target, string member, int memberStart, int end)
            : base(target.Start, end)
        {
            Target = target;
            Member = member;
            MemberStart = memberStart;
        }

        public TemplateExpression Target { get; }

        public string Member { get; }

        public int MemberStart { get; }
    }

    internal enum LiteralKind
    {
        String,
        Number,
        Bool,
    }

    internal sealed class LiteralExpression : TemplateExpression
    {
        public LiteralExpression(LiteralKind kind, string text, int start, int end)
            : base(start, end)
        {
            Kind = kind;
            Text = text;
        }

        public LiteralKind Kind { get; }

        /// <summary>String value, number as written (ASCII digits, optional fraction), or "true"/"false".</summary>
        public string Text { get; }
    }

    internal sealed class UnaryExpression : TemplateExpression
    {
        public UnaryExpression(TemplateExpression operand, int start)
            : base(start, operand.End)
        {
            Operand = operand;
        }

        /// <summary>The only unary operator of the subset is '!'.</summary>
        public TemplateExpression Operand { get; }
    }

    internal sealed class BinaryExpression : TemplateExpression
    {
        public BinaryExpression(string op, TemplateExpression left, TemplateExpression right, int operatorStart)
            : base(left.Start, right.End)
        {
            Operator = op;
            Left = left;
            Right = right;
            OperatorStart = operatorStart;
        }

        public string Operator { get; }

        public TemplateExpression Left { get; }

        public TemplateExpression Right { get; }

        public int OperatorStart { get; }
    }

    internal sealed class FilterExpression : TemplateExpression
    {
        public FilterExpression(TemplateExpression target, string filter, int filterStart, int filterEnd, List<TemplateExpression> arguments, int end)
            : base(target.Start, end)
        {
            Target = target;
            Filter = filter;
            FilterStart = filterStart;
            FilterEnd = filterEnd;
            Arguments = arguments;
        }

        public TemplateExpression Target { get; }

        public string Filter { get; }

        public int FilterStart { get; }

        public int FilterEnd { get; }

        public List<TemplateExpression> Arguments { get; }
    }

    internal abstract class TemplateNode
    {
        protected TemplateNode(int start, int end)
        {
            Start = start;
            End = end;
        }

        public int Start { get; }

        public int End { get; }
    }

    internal sealed class TextNode : TemplateNode
    {
        public TextNode(string text, int start, int end)
            : base(start, end)
        {
            Text = text;
        }

        public string Text { get; }
    }

    /// <summary>{{ expression }}: writes a value.</summary>
    internal sealed class OutputNode : TemplateNode
    {
        public OutputNode(TemplateExpression expression, int start, int end)
            : base(start, end)
        {
            Expression = expression;
        }

        public TemplateExpression Expression { get; }
    }

    internal sealed class IfBranch
    {
        public IfBranch(TemplateExpression? condition, int start)
        {
            Condition = condition;
            Start = start;
        }

        /// <summary>Null when the condition did not parse (already reported).</summary>
        public TemplateExpression? Condition { get; }

        public int Start { get; }

        public List<TemplateNode> Body { get; } = new List<TemplateNode>();
    }

    internal sealed class IfNode : TemplateNode
    {
        public IfNode(int start, int end)
            : base(start, end)
        {
        }

        public List<IfBranch> Branches { get; } = new List<IfBranch>();

        public List<TemplateNode>? Else { get; set; }
    }

    internal sealed class ForNode : TemplateNode
    {
        public ForNode(string variable, int variableStart, TemplateExpression? list, int start, int end)
            : base(start, end)
        {
            Variable = variable;
            VariableStart = variableStart;
            List = list;
        }

        public string Variable { get; }

        public int VariableStart { get; }

        public TemplateExpression? List { get; }

        public List<TemplateNode> Body { get; } = new List<TemplateNode>();
    }
}
