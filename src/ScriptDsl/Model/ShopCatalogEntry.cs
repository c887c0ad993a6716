namespace ScriptDsl.Model;

/// <summary>
/// One compiled shop as listed by the generated <c>ScriptDsl.Generated.ShopCatalog</c>: its id, the
/// script it came from and that script's hash, and a way to get the definition (built on first use).
/// </summary>
public sealed record ShopCatalogEntry(string Id, string SourceFile, string SourceHash, Func<ShopDefinition> Definition);
