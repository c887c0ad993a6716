// ScriptService: the shops' compiled scripts served over gRPC (see README.md and docs/architecture.md).
//   dotnet run --project src/ScriptService -- [--urls http://127.0.0.1:5000] [--data DIR] [--interop]
//   dotnet run --project src/ScriptService -- chat --shop lamp_shop [--server URL] [--replay FILE]
//   dotnet run --project src/ScriptService -- nlu-report --shop lamp_shop [--folds 5]
using ScriptService.Chat;
using ScriptService.Hosting;

if (args.Length > 0 && args[0] == "chat")
{
    return await ChatCommand.RunAsync(args[1..], Console.In, Console.Out, CancellationToken.None);
}

var shops = ScriptDsl.Generated.ShopCatalog.Shops.Select(entry => entry.Definition()).ToList();
if (args.Length > 0 && args[0] == "nlu-report")
{
    return ScriptService.Tooling.NluReportCommand.Run(args[1..], shops, Console.Out);
}

var app = ServiceHost.Build(
    ScriptServiceSetup.ExpandShortcuts(args),
    builder => ScriptServiceSetup.AddScriptService(builder, shops),
    ScriptServiceSetup.MapScriptService);
await app.RunAsync();
return 0;
