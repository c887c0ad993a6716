namespace ScriptDsl.Bargaining;

/// <summary>
/// A request the policy cannot judge: an empty cart, a line without a positive price or quantity, an
/// ask that makes no sense, totals that overflow. The service maps it to INVALID_ARGUMENT.
/// </summary>
public sealed class NegotiationInputException(string message, string paramName)
    : ArgumentException(message, paramName);
