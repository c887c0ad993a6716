// ScriptService host: gRPC over HTTP/2 on Kestrel (see docs/grpc.md).
//   dotnet run --project src/ScriptService -- [--urls http://127.0.0.1:5000] [--interop]
var app = ScriptService.Hosting.ServiceHost.Build(args);
app.Logger.LogInformation("ScriptService: {Count} script file(s) compiled.", ScriptDsl.Generated.Probe.Count);
app.Run();
