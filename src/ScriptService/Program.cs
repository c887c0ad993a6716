// ScriptService: the shops' compiled scripts served over gRPC (see README.md and docs/architecture.md).
//   dotnet run --project src/ScriptService -- [--urls http://127.0.0.1:5000] [--data DIR] [--interop]
//   dotnet run --project src/ScriptService -- chat --shop lamp_shop [--server URL] [--replay FILE]
//   dotnet run --project src/ScriptService -- nlu-report --shop lamp_shop [--folds 5]
//   dotnet run --project src/ScriptService -- demo-traffic --shop lamp_shop [--conversations 500] [--server URL]
using ScriptService.Chat;
using ScriptService.Hosting;
using ScriptService.Tooling;

if (args.Length > 0 && args[0] == "chat")
{
    return await ChatCommand.RunAsync(args[1..], Console.In, Console.Out, CancellationToken.None);
}

if (args.Length > 0 && args[0] == "demo-traffic")
{
    return await DemoTrafficCommand.RunAsync(args[1..], Console.Out, CancellationToken.None);
}

var shops = ScriptDsl.Generated.ShopCatalog.Shops.Select(entry => entry.Definition()).ToList();
if (args.Length > 0 && args[0] == "nlu-report")
{
    return NluReportCommand.Run(args[1..], shops, Console.Out);
}

var app = ServiceHost.Build(
    ScriptServiceSetup.ExpandShortcuts(args),
    builder =>
    {
        ScriptServiceSetup.AddScriptService(builder, shops);
        builder.AddShopConsole();
    },
    app =>
    {
        app.UseShopConsole();
        ScriptServiceSetup.MapScriptService(app);
    });
await app.RunAsync();
return 0;
