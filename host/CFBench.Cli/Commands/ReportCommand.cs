using System.CommandLine;
using CFBench.Core.Reporting;
using CFBench.Core.Reporting.Exporters;
using CFBench.Core.Tracking;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary>
/// <c>cfbench report --suite S</c>: builds the suite's leaderboard from the run store only and writes
/// <c>OUT/S/index.html</c> (and index.md, index.csv), then regenerates <c>OUT/index.html</c>, the list of published suites.
/// </summary>
public static class ReportCommand
{
    public static readonly string[] Formats = { "html", "md", "csv" };

    public static Command Create(CommandHost host)
    {
        var suite = new Option<string>("--suite") { Description = "Suite of bench.json to report (see `cfbench suites`)", Required = true };
        var output = new Option<string?>("--out") { Description = "Reports folder; the suite goes to OUT/<suite>/ (default: reports/ beside bench.json)" };
        var format = new Option<string[]>("--format")
        {
            Description = "html, md or csv (repeatable; default: all three)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => Formats,
        };
        format.AcceptOnlyFromAmong(Formats);
        var template = new Option<string?>("--template")
        {
            Description = "Folder whose templates (suite.html.sbn, site.html.sbn, style.css.sbn) replace the defaults",
        };
        var command = new Command("report", "Write a suite's leaderboard (HTML, Markdown, CSV) from the run store.") { suite, output, format, template };
        host.SetAction(command, (result, context, cancel) =>
        {
            var config = context.Config;
            var suiteName = result.GetValue(suite)!;
            if (!config.Suites.TryGetValue(suiteName, out var suiteConfig))
                throw new UserException($"no suite '{suiteName}' in {config.SourcePath} (known: {string.Join(", ", config.Suites.Keys)})");
            var templateDir = result.GetValue(template) is { } t ? Path.GetFullPath(t) : null;
            if (templateDir is not null && !Directory.Exists(templateDir))
                throw new DirectoryNotFoundException($"--template: folder {templateDir} not found");
            var outRoot = result.GetValue(output) is { } o ? Path.GetFullPath(o) : config.Resolve("reports");
            var formats = result.GetValue(format) is { Length: > 0 } f ? f : Formats;

            if (!File.Exists(context.DatabasePath))
                throw new UserException($"no run store at {context.DatabasePath}: run `cfbench run --suite {suiteName}` first");
            IReadOnlyList<RunRecord> runs;
            using (var store = RunStore.OpenReadOnly(context.DatabasePath))
                runs = store.List(new RunFilter { Suite = suiteName }, RunDetail.All);

            var board = new LeaderboardBuilder().Build(suiteName, suiteConfig, runs, DateTimeOffset.UtcNow);
            // The repo's templates (beside bench.json) are the defaults' source; reading them directly lets a template
            // edit take effect without a rebuild. The embedded copies cover an installed cfbench.
            var templates = new ReportTemplates(new[] { templateDir, config.Resolve(Path.Combine("reports", "templates")) });
            var written = new ReportPublisher(templates).Publish(board, outRoot, formats,
                config.Suites.ToDictionary(s => s.Key, s => s.Value.Description));

            var console = context.Console;
            var superseded = board.RunsSuperseded > 0 ? $", {board.RunsSuperseded} superseded by a later run of the same variant, parameters and seed" : "";
            console.MarkupLineInterpolated($"suite [bold]{suiteName}[/]: {board.RunsUsed} finished run(s) used, {ReportFormat.Skipped(board)}{superseded}");
            if (board.RunsUsed == 0)
                console.MarkupLine("[yellow]no finished runs yet: the report says so and has no tables[/]");
            foreach (var path in written) console.MarkupLineInterpolated($"  wrote {path}");
            return 0;
        });
        return command;
    }
}
