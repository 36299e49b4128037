using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using CFBench.Core;
using CFBench.Core.Runs;
using CFBench.Core.Runs.Worker;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary>
/// <c>cfbench worker</c> (hidden): plays one run of a suite in a process of its own, for <c>cfbench run</c>, which
/// starts it (<see cref="StartInfo"/>), records what it reports and survives whatever its plugin does. The worker
/// plans the suite again, narrowed to the run's dataset, model and seed, and plays the run with the host's key:
/// nothing but names crosses the boundary on the way in. Events go back as JSON lines (<see cref="WorkerMessage"/>).
/// </summary>
public static class WorkerCommand
{
    private static readonly Option<string> Suite = new("--suite") { Required = true };
    private static readonly Option<string> Dataset = new("--dataset") { Required = true };
    private static readonly Option<string> Model = new("--model") { Required = true };
    private static readonly Option<long> Seed = new("--seed") { Required = true };
    private static readonly Option<int?> Epochs = new("--epochs");
    private static readonly Option<string> Key = new("--key") { Required = true };
    private static readonly Option<string> Device = new("--device") { Required = true };
    /// <summary>The <see cref="RunInputs"/> (vouched checkpoints, upstream weights) as JSON.</summary>
    private static readonly Option<string> Inputs = new("--inputs") { Required = true };
    private static readonly JsonSerializerOptions InputsJson = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var command = new Command("worker", "Internal: plays one run for `cfbench run`, which starts and supervises it.")
        {
            Hidden = true,
            Options = { Suite, Dataset, Model, Seed, Epochs, Key, Device, Inputs },
        };
        command.SetAction((result, cancel) => Task.FromResult(Run(result, cancel)));
        return command;
    }

    /// <summary>The worker's command line for <paramref name="run"/>: this cfbench, with the host's global options
    /// resolved, so the worker reads the same bench.json, data and plugins.</summary>
    public static ProcessStartInfo StartInfo(CliContext context, PlannedRun run, string device, int? epochs, RunInputs inputs)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this process runs");
        var info = new ProcessStartInfo(self) { WorkingDirectory = Environment.CurrentDirectory };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(WorkerCommand).Assembly.Location);
        var arguments = new List<string> { "worker", "--config", context.ConfigPath() };
        if (context.DataRoot is { } data) arguments.AddRange(new[] { "--data", data });
        foreach (var plugins in context.Globals.PluginDirectories) arguments.AddRange(new[] { "--plugins", Path.GetFullPath(plugins) });
        arguments.AddRange(new[]
        {
            "--suite", run.Spec.Suite, "--dataset", run.Spec.Dataset, "--model", run.Spec.Label, "--seed", run.Spec.Seed.ToString(),
            "--key", run.Spec.Key, "--device", device, "--inputs", JsonSerializer.Serialize(inputs, InputsJson),
        });
        if (epochs is { } e) arguments.AddRange(new[] { "--epochs", e.ToString() });
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    private static int Run(ParseResult result, CancellationToken cancel)
    {
        using var channel = WorkerChannel.Open();
        PlannedRun? run = null;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            channel.Send(Failure(run, e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject.ToString()), " (thrown on a background thread)"));
        using var hostCancel = CancellationTokenSource.CreateLinkedTokenSource(cancel, channel.Cancellation);
        using var signals = new TerminationSignals(hostCancel.Token);
        // What the host already told the user (skipped plugins, dataset loading) is not said twice.
        var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No });
        try
        {
            using var context = new CliContext(GlobalOptions.Read(result), quiet);
            var datasetName = result.GetValue(Dataset)!;
            var data = context.Datasets.Load(datasetName);
            var suite = result.GetValue(Suite)!;
            var key = result.GetValue(Key)!;
            var filter = new SuiteFilter(datasetName, result.GetValue(Model), new[] { result.GetValue(Seed) }, result.GetValue(Epochs));
            run = new SuitePlanner(context.Config, context.Catalog).Plan(suite, filter, _ => data.Fingerprint).FirstOrDefault(r => r.Spec.Key == key)
                  ?? throw new UserException($"run {key} is not in suite '{suite}' any more (bench.json, data or plugins changed since it was planned)");
            var device = DeviceResolver.Resolve(result.GetValue(Device)!);
            var inputs = JsonSerializer.Deserialize<RunInputs>(result.GetValue(Inputs)!, InputsJson)
                         ?? throw new UserException("worker: --inputs is empty");
            var outcome = new InProcessRunPlayer().Play(run, data, device, inputs, channel, channel.Log, signals.Token);
            channel.Send(new WorkerMessage(WorkerMessage.Finished) { Outcome = outcome });
            return 0;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            channel.Send(new WorkerMessage(WorkerMessage.Cancelled));
            return 130;
        }
        catch (Exception e)
        {
            channel.Send(Failure(run, e, ""));
            return 1;
        }
    }

    private static WorkerMessage Failure(PlannedRun? run, Exception e, string where) => new(WorkerMessage.Failed)
    {
        Text = (run is null ? $"worker: {e.GetType().Name}: {ErrorText.FirstLine(e.Message)}" : RunExecutor.Describe(run, e)) + where,
        Resumable = run is not null && ResumableFailure.Is(e),
    };
}
