using System.Collections.Generic;

namespace ScriptDsl.Generator.Templates
{
    // The checked template: what the emitter turns into C# statements. Runtime values are already
    // C# expressions over 's' (the ScriptScope); constants are already text.

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

    /// <summary>
    /// <c>w.{Method}({Argument});</c>, inside <c>if ({Guard})</c> when the value may be missing (an
    /// unfilled slot), with <c>else w.Append({Fallback});</c> when a default was given.
    /// </summary>
    internal sealed class BoundWrite : BoundNode
    {
        public BoundWrite(string method, string argument, string? guard, string? fallback, int estimatedWidth)
        {
            Method = method;
            Argument = argument;
            Guard = guard;
            Fallback = fallback;
            EstimatedWidth = estimatedWidth;
        }

        public string Method { get; }

        public string Argument { get; }

        public string? Guard { get; }

        public string? Fallback { get; }

        public int EstimatedWidth { get; }
    }

    internal sealed class BoundCondition
    {
        public BoundCondition(string code, bool? constant, bool simple)
        {
            Code = code;
            Constant = constant;
            Simple = simple;
        }

        public static BoundCondition Error { get; } = new BoundCondition("false", false, true);

        /// <summary>A C# bool expression.</summary>
        public string Code { get; }

        /// <summary>Known at compile time (facts, literals): the emitter keeps only the branch taken, so the C# compiler never sees unreachable code.</summary>
        public bool? Constant { get; }

        /// <summary>True when <see cref="Code"/> needs no parentheses as an operand.</summary>
        public bool Simple { get; }

        public string AsOperand => Simple ? Code : "(" + Code + ")";
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
        public BoundFor(string variable, string list, List<BoundNode> body)
        {
            Variable = variable;
            List = list;
            Body = body;
        }

        /// <summary>The C# loop variable (line1, line2, ... by depth; never a user's name).</summary>
        public string Variable { get; }

        public string List { get; }

        public List<BoundNode> Body { get; }
    }
}
