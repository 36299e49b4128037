using System.CommandLine;
using CFBench.Cli;
using CFBench.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

NativeHeap.Tune();
ThreadPolicy.Tune();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Array.Empty<string>(), DisableDefaults = true });
builder.Logging.ClearProviders();
// Redirected output (CI logs, pipes) gets wide lines instead of 80-column wrapping.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
builder.Services.AddSingleton(AnsiConsole.Console);
builder.Services.AddSingleton<CommandHost>();
using var app = builder.Build();
var host = app.Services.GetRequiredService<CommandHost>();

var root = new RootCommand("CFBench: benchmark collaborative-filtering recommenders under each paper's evaluation protocol.");
GlobalOptions.AddTo(root);
root.Subcommands.Add(RunCommand.Create(host));
root.Subcommands.Add(SuitesCommand.Create(host));
root.Subcommands.Add(ModelsCommand.Create(host));
root.Subcommands.Add(DataCommand.Create(host));
root.Subcommands.Add(RunsCommand.Create(host));
root.Subcommands.Add(ReportCommand.Create(host));
root.Subcommands.Add(BenchCommand.Create(host));
root.Subcommands.Add(PlanCommand.Create(host));
root.Subcommands.Add(SlurmCommand.Create(host));
root.Subcommands.Add(WorkerCommand.Create());

// Ctrl-C and SIGTERM are handled by each command (TerminationSignals), not by System.CommandLine.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
