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
        var filters = SuiteFilterOptions.Create();
        var skipMissing = new Option<bool>("--skip-missing") { Description = "Run the datasets whose files are present and skip the others (default: a missing dataset stops the whole plan)" };
        var device = new Option<string?>("--device") { Description = "auto (CUDA when available), cpu, cuda or cuda:N (default: bench.json device)" };
        var rerun = new Option<bool>("--rerun") { Description = "Run again even when the store has a finished run with the same key" };
        var keepCheckpoints = new Option<bool>("--keep-checkpoints")
        {
            Description = "Keep every checkpoint of a finished run (default: only its best one; checkpoints live beside the store, in <db>.checkpoints/<run id>/)",
        };
        var retries = new Option<int>("--retries")
        {
            Description = "Resume a run by itself, from its last checkpoint in a new worker process, after a libtorch error or a native crash " +
                          "that may not be its own (TorchSharp can free a temporary while libtorch still uses it), at most this many times; " +
                          "only when the failed attempt got past a newer checkpoint. Resuming is bit-identical. 0: never",
            DefaultValueFactory = _ => RunExecutor.DefaultRetries,
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "Only shard i of n (i/n, from 1): a deterministic 1/n of the runs, by run key (see `cfbench plan --shards n`)",
        };
        var command = new Command("run", "Run a suite: datasets × model variants × seeds, each trained, evaluated under the suite's protocol and recorded. " +
                                         "The whole plan is checked first (suite, models, variants, parameters, metrics, schedule, baseline, dataset " +
                                         "cards and files): every problem is printed, one line each, and nothing runs (exit 2). " +
                                         "Finished runs (same key) are skipped; interrupted ones resume from their last checkpoint.")
        {
            suite, device, rerun, keepCheckpoints, retries, shard, skipMissing,
        };
        foreach (var option in filters.All) command.Options.Add(option);
        host.SetAction(command, (result, context, cancel) =>
        {
            var part = result.GetValue(shard) is { } s ? Shard.Parse(s) : (Shard?)null;
            var resumes = result.GetValue(retries);
            if (resumes < 0) throw new UserException($"--retries: {resumes} is negative");
            return Run(context, result.GetValue(suite)!, filters, result, result.GetValue(skipMissing), result.GetValue(device),
                result.GetValue(rerun), result.GetValue(keepCheckpoints), resumes, part, cancel);
        });
        return command;
    }

    private static int Run(CliContext context, string suiteName, SuiteFilterOptions filters, ParseResult result, bool skipMissing,
        string? deviceOption, bool rerun, bool keepCheckpoints, int retries, Shard? shard, CancellationToken cancel)
    {
        var console = context.Console;
        var config = context.Config;
        var check = new PlanValidator(config, context.Catalog, context.Datasets).Validate(suiteName, filters.Selection(result, skipMissing));
        foreach (var skipped in check.Skipped) console.MarkupLineInterpolated($"[yellow]skipped (--skip-missing):[/] {skipped}");
        if (check.Problems.Count > 0)
        {
            foreach (var problem in check.Problems) console.MarkupLineInterpolated($"[red]error:[/] {problem}");
            console.MarkupLineInterpolated($"{check.Problems.Count} problem(s) in the plan of suite {suiteName}; nothing was run");
            return 2;
        }
        var planner = new SuitePlanner(config, context.Catalog);
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
        var runs = filters.Plan(result, planner, suiteName, check.Datasets, name => Load(name).Fingerprint);
        if (shard is { } part)
        {
            var all = runs.Count;
            runs = ShardAssignment.Select(runs, part);
            console.MarkupLineInterpolated($"shard {part}: {runs.Count} of the suite's {all} run(s)");
        }
        console.MarkupLineInterpolated($"suite [bold]{suiteName}[/]: {runs.Count} run(s) on {device} — store {context.DatabasePath}");

        using var store = RunStore.Open(context.DatabasePath);
        if (store.AdoptLegacyKeys(runs.Select(r => (r.Spec.LegacyKey, r.Spec.Key))) is > 0 and var rekeyed)
            console.MarkupLineInterpolated($"[grey]{rekeyed} run(s) recorded under contract 1's keys now carry their current keys[/]");
        var epochs = filters.Selection(result).Epochs;
        var worker = new WorkerRunPlayer((run, inputs) => WorkerCommand.StartInfo(context, run, device.ToString(), epochs, inputs));
        var executor = new RunExecutor(store, config.BaseDirectory, worker, keepCheckpoints, retries);
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
