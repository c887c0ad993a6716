using BenchmarkDotNet.Running;

// Every benchmark class of this assembly; pick with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
