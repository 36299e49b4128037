using System.CommandLine;
using CFBench.Core.Datasets;
using CFBench.Core.Runs;
using CFBench.Core.Runs.Worker;
using CFBench.Core.Tracking;
using Spectre.Console;
using TorchSharp;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench run --suite S</c>: plays every run of a suite that the store does not have finished, each in a
/// worker process of its own (<see cref="WorkerCommand"/>), so a plugin that crashes fails only its run.</summary>
public static class RunCommand
{
    public static Command Create(CommandHost host)
    {
        var suite = new Option<string>("--suite") { Description = "Suite of bench.json to run (see `cfbench suites`)", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset of the suite" };
        var model = new Option<string?>("--model") { Description = "Only this model (NAME) or model variant (NAME/VARIANT) of the suite" };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds replacing the suite's, e.g. 1,2,3" };
        var device = new Option<string?>("--device") { Description = "auto (CUDA when available), cpu, cuda or cuda:N (default: bench.json device)" };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs, replacing the suite's schedule" };
        var rerun = new Option<bool>("--rerun") { Description = "Run again even when the store has a finished run with the same key" };
        var command = new Command("run", "Run a suite: datasets × model variants × seeds, each trained, evaluated under the suite's protocol and recorded. " +
                                         "Finished runs (same key) are skipped; interrupted ones resume from their last checkpoint.")
        {
            suite, dataset, model, seeds, device, epochs, rerun,
        };
        host.SetAction(command, (result, context, cancel) =>
        {
            var filter = new SuiteFilter(result.GetValue(dataset), result.GetValue(model), ParseSeeds(result.GetValue(seeds)), result.GetValue(epochs));
            return Run(context, result.GetValue(suite)!, filter, result.GetValue(device), result.GetValue(rerun), cancel);
        });
        return command;
    }

    private static IReadOnlyList<long>? ParseSeeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, out var v) ? v : throw new ArgumentException($"--seeds: '{s}' is not an integer"))
            .ToList();
    }

    private static int Run(CliContext context, string suiteName, SuiteFilter filter, string? deviceOption, bool rerun, CancellationToken cancel)
    {
        var console = context.Console;
        var config = context.Config;
        var planner = new SuitePlanner(config, context.Catalog);
        var suite = planner.Suite(suiteName);
        var device = DeviceResolver.Resolve(deviceOption ?? config.Device);

        var loaded = new Dictionary<string, InteractionDataset>();
        InteractionDataset Load(string name)
        {
            if (!loaded.TryGetValue(name, out var data))
            {
                console.MarkupLineInterpolated($"[grey]loading dataset {name}...[/]");
                loaded[name] = data = context.Datasets.Load(name, message => console.MarkupLineInterpolated($"[grey]  {message}[/]"));
            }
            return data;
        }
        var runs = planner.Plan(suiteName, filter, name => Load(name).Fingerprint);
        console.MarkupLineInterpolated($"suite [bold]{suiteName}[/]: {runs.Count} run(s) on {device} — store {context.DatabasePath}");

        using var store = RunStore.Open(context.DatabasePath);
        var worker = new WorkerRunPlayer((run, checkpoints) => WorkerCommand.StartInfo(context, run, device.ToString(), filter.Epochs, checkpoints));
        var executor = new RunExecutor(store, Path.Combine(context.CacheDirectory, "checkpoints"), config.BaseDirectory, worker);
        var results = new List<RunResult>();
        for (int i = 0; i < runs.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var run = runs[i];
            console.MarkupLineInterpolated($"[bold][[{i + 1}/{runs.Count}]][/] {run.Spec.Dataset} · {run.Spec.Label} · seed {run.Spec.Seed}  [grey]key {run.Spec.Key}[/]");
            var data = Load(run.Spec.Dataset);
            void Log(string message) => console.MarkupLineInterpolated($"[grey]  {message}[/]");
            RunResult outcome;
            if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
            {
                outcome = console.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(progress => executor.Execute(run, data, device, rerun,
                        new TrainingDisplay(console, progress.AddTask("starting", maxValue: run.Spec.Schedule.Epochs)), Log, cancel));
            }
            else
            {
                outcome = executor.Execute(run, data, device, rerun, new TrainingDisplay(console, null), Log, cancel);
            }
            results.Add(outcome);
            Report(console, outcome);
        }
        console.Write(ResultsTable(results));
        return results.Any(r => r.Kind == RunResultKind.Failed) ? 1 : 0;
    }

    private static void Report(IAnsiConsole console, RunResult result)
    {
        switch (result.Kind)
        {
            case RunResultKind.Skipped:
                console.MarkupLineInterpolated($"  [grey]already finished (run {result.RunId}); skipped — use --rerun to run again[/]");
                break;
            case RunResultKind.Failed:
                console.MarkupLineInterpolated($"  [red]failed:[/] {result.Error}");
                break;
            default:
                console.MarkupLineInterpolated($"  [green]finished[/] run {result.RunId} in {result.Seconds:F1}s, best epoch {result.BestEpoch}: {string.Join("  ", result.TestMetrics.Select(m => $"{m.Key} {m.Value:F4}"))}");
                break;
        }
    }

    private static Table ResultsTable(IReadOnlyList<RunResult> results)
    {
        var columns = results.SelectMany(r => r.TestMetrics.Keys).Distinct().ToList();
        var table = new Table().Border(TableBorder.Rounded).Title("test results");
        table.AddColumns("dataset", "model", "seed", "run", "status", "best epoch");
        foreach (var c in columns) table.AddColumn(new TableColumn(c).RightAligned());
        table.AddColumn(new TableColumn("time").RightAligned());
        var selection = results.FirstOrDefault()?.Run.Spec.Protocol.Selection;
        foreach (var r in results)
        {
            var cells = new List<string>
            {
                Markup.Escape(r.Run.Spec.Dataset), Markup.Escape(r.Run.Spec.Label), r.Run.Spec.Seed.ToString(), r.RunId?.ToString() ?? "",
                r.Kind switch { RunResultKind.Failed => "[red]failed[/]", RunResultKind.Skipped => "[grey]skipped[/]", _ => "[green]finished[/]" },
                r.BestEpoch.ToString(),
            };
            cells.AddRange(columns.Select(c => r.TestMetrics.TryGetValue(c, out var v) ? v.ToString("F4") : ""));
            cells.Add(r.Kind == RunResultKind.Skipped ? "" : $"{r.Seconds:F1}s");
            table.AddRow(cells.ToArray());
        }
        if (selection == Core.Protocols.ModelSelection.Test)
            table.Caption("[yellow]best epoch chosen on the test set (model selection = test, as the official code)[/]");
        return table;
    }
}
