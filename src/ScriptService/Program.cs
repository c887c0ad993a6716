// Placeholder host: the gRPC service arrives with its own issue. Building this project
// already compiles every scripts/**/*.csdsl through the generator.
System.Console.WriteLine("ScriptService: " + ScriptDsl.Generated.Probe.Count + " script file(s) compiled.");
