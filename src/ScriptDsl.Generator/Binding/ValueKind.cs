namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// The one value-type model of the language: what a fact, a slot, a built-in value
    /// (<c>cart.total</c>, <c>item.price</c>, <c>gift.name</c>), a literal or a condition operand
    /// is. Recommend rules, gift <c>when</c>, <c>{{ if }}</c> and <c>{{ ... }}</c> outputs are all
    /// checked in these terms, by the one ConditionBinder; <see cref="ShopModel"/> stores them (the emitter writes the runtime's
    /// ValueType / SlotKind member of the same name).
    /// </summary>
    public enum ValueKind
    {
        /// <summary>A value that failed to bind: already reported, produces no further diagnostics.</summary>
        Error,
        Text,

        /// <summary>A whole number (C# long; a few built-ins are C# int, see <see cref="BoundMember.Narrow"/>).</summary>
        Int,

        /// <summary>Money in fen (C# long).</summary>
        Money,

        /// <summary>A decimal number (C# decimal).</summary>
        Number,
        Date,
        Bool,

        /// <summary>One of a choice slot's values.</summary>
        Choice,

        /// <summary>The cart's lines (only <c>{{ for }}</c> reads it).</summary>
        List,

        /// <summary>A value with members (<c>cart</c>, <c>item</c>, a loop's line).</summary>
        Object,

        /// <summary>A number written in a condition or template before it takes the kind of what it is compared with.</summary>
        NumberLiteral,
    }
}
