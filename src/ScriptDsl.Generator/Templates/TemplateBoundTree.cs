using System.Collections.Generic;
using ScriptDsl.Generator.Binding;

namespace ScriptDsl.Generator.Templates
{
    // The checked template: what TemplateEmitter turns into C# statements. Values and conditions are
    // the shared bound tree (Binding/BoundConditions.cs); constants are already text. No C# here.

    internal abstract class BoundNode
    {
    }

    /// <summary>Text known at compile time: template text and inlined constants.</summary>
    internal sealed class BoundText : BoundNode
    {
        public BoundText(string text)
        {
            Text = text;
        }

        public string Text { get; }
    }

    /// <summary>The TemplateWriter method a value is written with.</summary>
    internal enum WriteMethod
    {
        /// <summary>Text as it is (a slot's text: nothing when unanswered).</summary>
        Append,

        /// <summary>A decimal as Scriban prints it.</summary>
        AppendNumber,
        AppendInt,

        /// <summary>Fen as yuan (785, 1.08).</summary>
        AppendMoney,

        /// <summary>A date in <see cref="BoundWrite.Argument"/>'s format.</summary>
        AppendDate,

        /// <summary>The text, or <see cref="BoundWrite.Argument"/> when it is empty or unanswered.</summary>
        AppendOrDefault,

        /// <summary>A bool as true or false.</summary>
        AppendBool,
    }

    /// <summary>
    /// Writes <see cref="Value"/> with <see cref="Method"/>; when <see cref="Guarded"/> (a slot that may be
    /// unanswered) only if answered, else <see cref="Fallback"/> when a default was given.
    /// </summary>
    internal sealed class BoundWrite : BoundNode
    {
        public BoundWrite(WriteMethod method, BoundValue value, string? argument, bool guarded, string? fallback, int estimatedWidth)
        {
            Method = method;
            Value = value;
            Argument = argument;
            Guarded = guarded;
            Fallback = fallback;
            EstimatedWidth = estimatedWidth;
        }

        public WriteMethod Method { get; }

        public BoundValue Value { get; }

        /// <summary>The date format of AppendDate, the default text of AppendOrDefault.</summary>
        public string? Argument { get; }

        public bool Guarded { get; }

        public string? Fallback { get; }

        public int EstimatedWidth { get; }
    }

    internal sealed class BoundBranch
    {
        public BoundBranch(BoundCondition condition, List<BoundNode> body)
        {
            Condition = condition;
            Body = body;
        }

        public BoundCondition Condition { get; }

        public List<BoundNode> Body { get; }
    }

    internal sealed class BoundIf : BoundNode
    {
        public BoundIf(List<BoundBranch> branches, List<BoundNode>? elseBody)
        {
            Branches = branches;
            Else = elseBody;
        }

        public List<BoundBranch> Branches { get; }

        public List<BoundNode>? Else { get; }
    }

    internal sealed class BoundFor : BoundNode
    {
        public BoundFor(int depth, BoundValue? list, List<BoundNode> body)
        {
            Depth = depth;
            List = list;
            Body = body;
        }

        /// <summary>The loop depth (1 for the outermost): the emitter names the loop variable by it.</summary>
        public int Depth { get; }

        /// <summary>The cart lines; null when the loop has none to read (already reported).</summary>
        public BoundValue? List { get; }

        public List<BoundNode> Body { get; }
    }
}
