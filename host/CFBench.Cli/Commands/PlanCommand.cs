using System.CommandLine;
using System.Globalization;
using CFBench.Core.Runs;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench plan --suite S</c>: the runs a suite would play, with their keys and (with --shards n) shards.</summary>
public static class PlanCommand
{
    public static Command Create(CommandHost host)
    {
        var suite = new Option<string>("--suite") { Description = "Suite of bench.json to plan (see `cfbench suites`)", Required = true };
        var filters = SuiteFilterOptions.Create();
        var shards = new Option<int?>("--shards") { Description = "Also show each run's shard when the suite is split in n (as `run --shard i/n` does)" };
        var command = new Command("plan", "List the runs of a suite without running them: dataset, model, seed, epochs, run key, and shard.") { suite, shards };
        foreach (var option in filters.All) command.Options.Add(option);
        host.SetAction(command, (result, context, cancel) =>
        {
            var count = result.GetValue(shards);
            if (count is < 1) throw new ArgumentException($"--shards: {count} is not a positive number of shards");
            var suiteName = result.GetValue(suite)!;
            var runs = Plan(context, suiteName, filters, result);
            var assigned = ShardAssignment.Assign(runs, count ?? 1);

            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"suite {suiteName}: {runs.Count} run(s)"));
            table.AddColumns(new TableColumn("#").RightAligned(), new TableColumn("dataset"), new TableColumn("model"),
                new TableColumn("seed").RightAligned(), new TableColumn("epochs").RightAligned(), new TableColumn("key"));
            if (count is not null) table.AddColumn(new TableColumn("shard").RightAligned());
            foreach (var ((run, shard), i) in assigned.Select((a, i) => (a, i)))
            {
                var cells = new List<string>
                {
                    (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(run.Spec.Dataset), Markup.Escape(run.Spec.Label),
                    run.Spec.Seed.ToString(CultureInfo.InvariantCulture), run.Spec.Schedule.Epochs.ToString(CultureInfo.InvariantCulture), run.Spec.Key,
                };
                if (count is { } n) cells.Add($"{shard}/{n}");
                table.AddRow(cells.ToArray());
            }
            context.Console.Write(table);
            if (count is { } total)
                context.Console.MarkupLineInterpolated($"runs per shard: {string.Join(", ", Enumerable.Range(1, total).Select(s => $"{s}/{total}: {assigned.Count(a => a.Shard == s)}"))}");
            return 0;
        });
        return command;
    }

    /// <summary>The suite's planned runs; datasets are loaded (from their cache) for their fingerprints, part of each key.</summary>
    public static IReadOnlyList<PlannedRun> Plan(CliContext context, string suiteName, SuiteFilterOptions filters, ParseResult result) =>
        filters.Plan(result, new SuitePlanner(context.Config, context.Catalog), suiteName, filters.Datasets(result),
            name => context.Datasets.Load(name).Fingerprint);
}
