// Placeholder host: the gRPC service arrives with its own issue. Building this project compiles
// every scripts/**/*.csdsl through the generator; here we only list what was compiled.
foreach (var shop in ScriptDsl.Generated.ShopCatalog.Shops)
{
    var definition = shop.Definition();
    System.Console.WriteLine(shop.Id + " (" + definition.DisplayName + "): " + shop.SourceFile + ", " + definition.Intents.Count + " intents, sha256 " + shop.SourceHash[..12]);
}
