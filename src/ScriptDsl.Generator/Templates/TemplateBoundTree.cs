using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator.Templates
{
    // The checked template: what TemplateEmitter turns into C# statements. Values and conditions are
    // the shared bound tree (Binding/BoundConditions.cs); constants are already text. No C# here.
    // Records over EquatableArray: the shop model holds these trees and stays a value.

    public abstract record BoundNode
    {
        /// <summary>The node's type, so a serialized tree (the bound-model snapshots) shows what each node is.</summary>
        public string Node => GetType().Name;
    }

    /// <summary>Text known at compile time: template text and inlined constants.</summary>
    public sealed record BoundText(string Text) : BoundNode;

    /// <summary>The TemplateWriter method a value is written with.</summary>
    public enum WriteMethod
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
    /// Writes <paramref name="Value"/> with <paramref name="Method"/>; <paramref name="Argument"/> is the date
    /// format of AppendDate or the default text of AppendOrDefault. When <paramref name="Guarded"/> (a slot
    /// that may be unanswered) only if answered, else <paramref name="Fallback"/> when a default was given.
    /// </summary>
    public sealed record BoundWrite(WriteMethod Method, BoundValue Value, string? Argument, bool Guarded, string? Fallback, int EstimatedWidth) : BoundNode;

    public sealed record BoundBranch(BoundCondition Condition, EquatableArray<BoundNode> Body);

    /// <summary>if / else if branches; <paramref name="Else"/> null when there is no else.</summary>
    public sealed record BoundIf(EquatableArray<BoundBranch> Branches, BoundElse? Else) : BoundNode;

    public sealed record BoundElse(EquatableArray<BoundNode> Body);

    /// <summary>
    /// A loop over <paramref name="List"/> (the cart lines; null when the loop has none to read, already
    /// reported); <paramref name="Depth"/> is 1 for the outermost loop, and the emitter names the loop variable by it.
    /// </summary>
    public sealed record BoundFor(int Depth, BoundValue? List, EquatableArray<BoundNode> Body) : BoundNode;
}
