using System.CommandLine;
using System.Globalization;
using CFBench.Core;
using CFBench.Core.Tracking;
using CFBench.Core.Tracking.Export;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench runs</c>: list, show, compare, export and delete the runs in the run store.</summary>
public static class RunsCommand
{
    public static Command Create(CommandHost host)
    {
        var command = new Command("runs", "List, inspect, compare, export and delete recorded runs");
        command.Subcommands.Add(List(host));
        command.Subcommands.Add(Show(host));
        command.Subcommands.Add(Compare(host));
        command.Subcommands.Add(Export(host));
        command.Subcommands.Add(Delete(host));
        command.Subcommands.Add(RunsMergeCommand.Create(host));
        return command;
    }

    private static Command List(CommandHost host)
    {
        var command = new Command("list", "List runs with their status and final test metrics");
        var filters = Filters.AddTo(command);
        SetAction(host, command, (result, context, store) =>
        {
            var runs = store.List(filters.Read(result));
            if (runs.Count == 0)
            {
                context.Console.MarkupLineInterpolated($"[grey]no runs in {store.FilePath}[/]");
                return 0;
            }
            // A suite or dataset shared by every row goes into the title instead of a column.
            var suites = runs.Select(r => r.Spec.Suite).Distinct().ToList();
            var datasets = runs.Select(r => r.Spec.Dataset).Distinct().ToList();
            var metrics = MetricColumns(runs).Take(4).ToList();
            var columns = new List<(string Header, bool Right, Func<RunRecord, string> Cell)>
            {
                ("ID", true, r => r.Id.ToString(CultureInfo.InvariantCulture)),
            };
            if (suites.Count > 1) columns.Add(("Suite", false, r => Markup.Escape(r.Spec.Suite)));
            if (datasets.Count > 1) columns.Add(("Dataset", false, r => Markup.Escape(r.Spec.Dataset)));
            columns.Add(("Model", false, r => Markup.Escape(r.Spec.Label)));
            columns.Add(("Seed", true, r => r.Spec.Seed.ToString(CultureInfo.InvariantCulture)));
            columns.Add(("Status", false, r => StatusMarkup(r.Status)));
            columns.Add(("Ep", true, r => r.EpochsRun.ToString(CultureInfo.InvariantCulture)));
            columns.AddRange(metrics.Select(m => (Markup.Escape(m), true, (Func<RunRecord, string>)(r => r.TestMetrics.TryGetValue(m, out var v) ? Number(v) : ""))));
            columns.Add(("Started", false, r => r.StartedAt.ToLocalTime().ToString("MM-dd\u00a0HH:mm", CultureInfo.InvariantCulture)));

            var title = string.Join(", ", new[] { suites.Count == 1 ? $"suite {suites[0]}" : null, datasets.Count == 1 ? $"dataset {datasets[0]}" : null }.OfType<string>());
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
            foreach (var (header, right, _) in columns)
                table.AddColumn(right ? new TableColumn(header).RightAligned().NoWrap() : new TableColumn(header).NoWrap());
            foreach (var run in runs) table.AddRow(columns.Select(c => c.Cell(run)).ToArray());
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"[grey]{runs.Count} run(s) in {store.FilePath}[/]");
            return 0;
        });
        return command;
    }

    private static Command Show(CommandHost host)
    {
        var id = new Argument<long>("id") { Description = "Run id (see cfbench runs list)" };
        var command = new Command("show", "Show one run: spec, provenance, per-epoch table (loss, time, the model's own figures, evaluations), final test metrics") { id };
        SetAction(host, command, (result, context, store) =>
        {
            var run = store.Require(result.GetValue(id));
            var console = context.Console;

            var summary = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            void Line(string name, string? value) { if (!string.IsNullOrEmpty(value)) summary.AddRow($"[bold]{name}[/]", Markup.Escape(value)); }
            summary.AddRow("[bold]status[/]", StatusMarkup(run.Status) + (run.Error is { } e ? $" [red]{Markup.Escape(ErrorText.FirstLine(e))}[/]" : ""));
            Line("key", run.Key);
            Line("suite", run.Spec.Suite);
            Line("dataset", $"{run.Spec.Dataset} (fingerprint {run.Spec.DatasetFingerprint})");
            Line("model", run.Spec.Label);
            Line("seed", run.Spec.Seed.ToString(CultureInfo.InvariantCulture));
            Line("started", When(run.StartedAt));
            Line("ended", run.EndedAt is { } end ? When(end) : null);
            Line("took", Duration(run));
            Line("attempts", run.Attempts > 1 ? run.Attempts.ToString(CultureInfo.InvariantCulture) : null);
            Line("epochs", $"{run.EpochsRun} run" + (run.BestEpoch is { } best ? $", best {best}" : ""));
            Line("best checkpoint", run.CheckpointPath);
            Line("last checkpoint", run.LastCheckpointPath is { } last ? $"{last} (epoch {run.LastCheckpointEpoch})" : null);
            Line("process", run.ProcessId is { } pid ? $"{pid} on {run.ProcessHost}" : null);
            console.Write(new Panel(summary).Header($"run {run.Id}").Border(BoxBorder.Rounded));

            console.Write(KeyValueTable("Protocol and schedule", ProtocolRows(run)));
            if (run.Spec.Parameters.Count > 0)
                console.Write(KeyValueTable("Hyper-parameters", run.Spec.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (p.Key, Value(p.Value)))));
            if (run.Provenance is not null) console.Write(KeyValueTable("Provenance", ProvenanceRows(run)));

            if (run.Epochs.Count > 0 || run.Evaluations.Count > 0) console.Write(EpochTable(run));
            if (run.TestMetrics.Count > 0)
                console.Write(KeyValueTable("Final test", OrderMetrics(run, run.TestMetrics.Keys).Select(m => (m, Number(run.TestMetrics[m])))));
            return 0;
        });
        return command;
    }

    private static Command Compare(CommandHost host)
    {
        var ids = new Argument<long[]>("ids") { Description = "Two or more run ids", Arity = ArgumentArity.OneOrMore };
        var onlyDiff = new Option<bool>("--diff") { Description = "Show only the rows that differ (metrics are always shown)" };
        var command = new Command("compare", "Compare runs side by side; differing parameters are highlighted") { ids, onlyDiff };
        SetAction(host, command, (result, context, store) =>
        {
            var wanted = result.GetValue(ids) ?? Array.Empty<long>();
            if (wanted.Length < 2) throw new UserException("compare needs at least two run ids");
            var runs = wanted.Select(id => store.Require(id)).ToList();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("");
            foreach (var run in runs) table.AddColumn(new TableColumn($"[bold]{run.Id}[/] {Markup.Escape(run.Spec.Label)}"));

            void Section(string title) => table.AddRow(new[] { $"[grey]{title}[/]" }.Concat(runs.Select(_ => "")).ToArray());
            void Rows(IEnumerable<(string Name, Func<RunRecord, string?> Value)> rows, bool always = false)
            {
                foreach (var (name, value) in rows)
                {
                    var values = runs.Select(r => value(r) ?? "").ToList();
                    var differs = values.Distinct().Count() > 1;
                    if (!differs && !always && result.GetValue(onlyDiff)) continue;
                    var style = differs ? "bold yellow" : "default";
                    table.AddRow(new[] { differs ? $"[{style}]{Markup.Escape(name)}[/]" : Markup.Escape(name) }
                        .Concat(values.Select(v => $"[{style}]{Markup.Escape(v)}[/]")).ToArray());
                }
            }

            Section("spec");
            Rows(new (string, Func<RunRecord, string?>)[]
            {
                ("suite", r => r.Spec.Suite), ("dataset", r => r.Spec.Dataset), ("fingerprint", r => r.Spec.DatasetFingerprint),
                ("model", r => r.Spec.Model), ("variant", r => r.Spec.Variant), ("seed", r => r.Spec.Seed.ToString(CultureInfo.InvariantCulture)),
            });
            Rows(ProtocolRows(runs[0]).Select((row, i) => (row.Name, (Func<RunRecord, string?>)(r => ProtocolRows(r).ElementAt(i).Value))));
            Section("hyper-parameters");
            Rows(runs.SelectMany(r => r.Spec.Parameters.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(p => (p, (Func<RunRecord, string?>)(r => r.Spec.Parameters.TryGetValue(p, out var v) ? Value(v) : "-"))));
            Section("provenance");
            Rows(new (string, Func<RunRecord, string?>)[]
            {
                ("plugin version", r => r.Provenance?.PluginVersion), ("plugin sha256", r => r.Provenance?.PluginSha256[..Math.Min(12, r.Provenance.PluginSha256.Length)]),
                ("device", r => r.Provenance is { } p ? $"{p.Device} {p.DeviceName}" : null), ("libtorch", r => r.Provenance?.LibTorchVersion),
                ("git commit", r => r.Provenance is { } p ? p.GitCommit + (p.GitDirty ? " (dirty)" : "") : null),
            });
            Section("outcome");
            Rows(new (string, Func<RunRecord, string?>)[]
            {
                ("status", r => r.Status.ToString().ToLowerInvariant()),
                ("epochs run", r => r.EpochsRun.ToString(CultureInfo.InvariantCulture)),
                ("best epoch", r => r.BestEpoch?.ToString(CultureInfo.InvariantCulture)),
                ("seconds/epoch", r => r.Epochs.Count > 0 ? r.Epochs.Average(e => e.Seconds).ToString("0.00", CultureInfo.InvariantCulture) : null),
            }, always: true);
            Rows(MetricColumns(runs).Select(m => ("test " + m, (Func<RunRecord, string?>)(r => r.TestMetrics.TryGetValue(m, out var v) ? Number(v) : null))), always: true);
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Export(CommandHost host)
    {
        var format = new Option<string>("--format") { Description = "csv, json or mlflow (MLflow file store)", Required = true };
        format.AcceptOnlyFromAmong("csv", "json", "mlflow");
        var output = new Option<string?>("--out") { Description = "File to write (csv, json; default: standard output) or MLflow folder (default: mlruns)" };
        var command = new Command("export", "Export runs as CSV, JSON, or an MLflow file store (mlflow ui --backend-store-uri PATH)") { format, output };
        var filters = Filters.AddTo(command);
        SetAction(host, command, (result, context, store) =>
        {
            var kind = result.GetValue(format)!;
            var target = result.GetValue(output);
            var runs = store.List(filters.Read(result), RunDetail.History);
            if (kind == "mlflow")
            {
                var root = Path.GetFullPath(target ?? "mlruns");
                MlflowExporter.Export(runs, root);
                context.Console.MarkupLineInterpolated($"exported {runs.Count} run(s) to the MLflow store [bold]{root}[/] (mlflow ui --backend-store-uri {root})");
                return 0;
            }
            if (target is null)
            {
                using var stdout = Console.OpenStandardOutput();
                Write(kind, runs, stdout);
                return 0;
            }
            var path = Path.GetFullPath(target);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var file = File.Create(path)) Write(kind, runs, file);
            context.Console.MarkupLineInterpolated($"exported {runs.Count} run(s) to [bold]{path}[/]");
            return 0;
        });
        return command;

        static void Write(string kind, IReadOnlyList<RunRecord> runs, Stream stream)
        {
            if (kind == "json")
            {
                RunJsonExporter.Write(runs, stream);
                stream.Write("\n"u8);
                return;
            }
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            RunCsvExporter.Write(runs, writer);
        }
    }

    private static Command Delete(CommandHost host)
    {
        var id = new Argument<long>("id") { Description = "Run id" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required without a terminal)" };
        var command = new Command("delete", "Delete a run and everything recorded for it (asks first)") { id, yes };
        SetAction(host, command, (result, context, store) =>
        {
            var run = store.Require(result.GetValue(id), RunDetail.Summary);
            if (!result.GetValue(yes))
            {
                if (Console.IsInputRedirected || !context.Console.Profile.Capabilities.Interactive)
                    throw new UserException($"run {run.Id} not deleted: no terminal to confirm on; pass --yes");
                var warning = run.Status == RunStatus.Running ? $" It is still running (pid {run.ProcessId})." : "";
                if (!context.Console.Confirm($"Delete run {run.Id} ({Markup.Escape(run.Spec.Label)} on {Markup.Escape(run.Spec.Dataset)}, seed {run.Spec.Seed}, {run.Status.ToString().ToLowerInvariant()})?{warning}", defaultValue: false))
                {
                    context.Console.MarkupLine("[grey]kept[/]");
                    return 1;
                }
            }
            store.Delete(run.Id);
            context.Console.MarkupLineInterpolated($"deleted run {run.Id}");
            return 0;
        }, readOnly: false);
        return command;
    }

    /// <summary>Opens the store for the body, read-only unless it changes the store; its problems are one-line user
    /// errors (see <see cref="CommandHost.IsUserError"/>).</summary>
    private static void SetAction(CommandHost host, Command command, Func<ParseResult, CliContext, RunStore, int> body, bool readOnly = true) =>
        host.SetAction(command, (result, context, cancel) =>
        {
            using var store = readOnly ? RunStore.OpenReadOnly(context.DatabasePath) : RunStore.Open(context.DatabasePath);
            return body(result, context, store);
        });

    /// <summary>The run filter options of <c>list</c> and <c>export</c>.</summary>
    private sealed record Filters(Option<string?> Suite, Option<string?> Model, Option<string?> Dataset, Option<string[]> Status)
    {
        public static Filters AddTo(Command command)
        {
            var filters = new Filters(
                new Option<string?>("--suite") { Description = "Only runs of this suite" },
                new Option<string?>("--model") { Description = "Only runs of this model" },
                new Option<string?>("--dataset") { Description = "Only runs on this dataset" },
                new Option<string[]>("--status")
                {
                    Description = "Only runs with these statuses: running, finished, failed, interrupted (a running run whose process is gone is interrupted)",
                    AllowMultipleArgumentsPerToken = true,
                    DefaultValueFactory = _ => Array.Empty<string>(),
                });
            command.Options.Add(filters.Suite);
            command.Options.Add(filters.Model);
            command.Options.Add(filters.Dataset);
            command.Options.Add(filters.Status);
            return filters;
        }

        public RunFilter Read(ParseResult result) => new()
        {
            Suite = result.GetValue(Suite),
            Model = result.GetValue(Model),
            Dataset = result.GetValue(Dataset),
            Statuses = (result.GetValue(Status) ?? Array.Empty<string>())
                .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(s => Enum.TryParse<RunStatus>(s, ignoreCase: true, out var status) && !int.TryParse(s, out _)
                    ? status
                    : throw new UserException($"--status: '{s}' is not running, finished, failed or interrupted"))
                .ToList(),
        };
    }

    private static IEnumerable<(string Name, string Value)> ProtocolRows(RunRecord run)
    {
        var p = run.Spec.Protocol;
        var s = run.Spec.Schedule;
        yield return ("protocol", p.Name);
        yield return ("k", string.Join(", ", p.K));
        yield return ("metrics", string.Join(", ", p.Metrics));
        yield return ("ties", p.Ties.ToString().ToLowerInvariant());
        yield return ("selection", p.Selection.ToString().ToLowerInvariant());
        yield return ("validation fraction", Value(p.ValidationFraction));
        yield return ("sampled negatives", Value(p.SampledNegatives));
        yield return ("duplicate negative", p.DuplicateNegative);
        yield return ("user batch", Value(p.UserBatch));
        yield return ("epochs", Value(s.Epochs));
        yield return ("evaluate every", Value(s.EvaluateEvery));
        yield return ("patience", Value(s.Patience));
        yield return ("selection metric", s.SelectionMetric);
    }

    private static IEnumerable<(string Name, string Value)> ProvenanceRows(RunRecord run)
    {
        var p = run.Provenance!;
        yield return ("plugin", $"{p.PluginAssemblyPath} {p.PluginVersion}");
        yield return ("plugin sha256", p.PluginSha256);
        yield return ("contract", p.ContractVersion);
        yield return ("device", $"{p.Device} {p.DeviceName}" + (p.DeviceMemoryBytes > 0 ? $" ({p.DeviceMemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB)" : ""));
        yield return ("TorchSharp / libtorch", $"{p.TorchSharpVersion} / {p.LibTorchVersion}");
        yield return ("OS", p.OperatingSystem);
        yield return ("host", p.Host);
        yield return ("git commit", p.GitCommit + (p.GitDirty ? " (dirty)" : ""));
        foreach (var (file, sha) in p.DatasetChecksums.OrderBy(c => c.Key, StringComparer.Ordinal))
            yield return ($"sha256 {file}", sha);
    }

    private static Table EpochTable(RunRecord run)
    {
        var evaluationColumns = run.Evaluations
            .SelectMany(e => e.Means.Keys.Select(m => (e.Target, Metric: m)))
            .Distinct()
            .OrderBy(c => c.Target, StringComparer.Ordinal)
            .ThenBy(c => MetricRank(run, c.Metric))
            .ThenBy(c => c.Metric, StringComparer.Ordinal)
            .ToList();
        var extraColumns = run.Epochs.SelectMany(e => e.Extra.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new Table().Border(TableBorder.Rounded).Title("Epochs")
            .AddColumns(new TableColumn("Epoch").RightAligned(), new TableColumn("Loss").RightAligned(),
                new TableColumn("Seconds").RightAligned(), new TableColumn("Samples/s").RightAligned(), new TableColumn("Peak MiB").RightAligned())
            .AddColumns(extraColumns.Select(name => new TableColumn(Markup.Escape(name)).RightAligned()).ToArray())
            .AddColumns(evaluationColumns.Select(c => new TableColumn(Markup.Escape($"{c.Target} {c.Metric}")).RightAligned()).ToArray());
        var epochs = run.Epochs.ToDictionary(e => e.Epoch);
        var evaluations = run.Evaluations.ToLookup(e => e.Epoch);
        foreach (var epoch in epochs.Keys.Union(evaluations.Select(g => g.Key)).Order())
        {
            var e = epochs.GetValueOrDefault(epoch);
            var best = epoch == run.BestEpoch;
            string Mark(string text) => best ? $"[bold green]{text}[/]" : text;
            table.AddRow(new[]
                {
                    Mark(epoch.ToString(CultureInfo.InvariantCulture) + (best ? "*" : "")),
                    e is null ? "" : Mark(e.Loss.ToString("0.00000", CultureInfo.InvariantCulture)),
                    e is null ? "" : Mark(e.Seconds.ToString("0.00", CultureInfo.InvariantCulture)),
                    e is null ? "" : Mark(e.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
                    e is null ? "" : Mark((e.PeakMemoryBytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture)),
                }
                .Concat(extraColumns.Select(name => e is not null && e.Extra.TryGetValue(name, out var figure)
                    ? Mark(figure.ToString("G6", CultureInfo.InvariantCulture)) : ""))
                .Concat(evaluationColumns.Select(c => evaluations[epoch].FirstOrDefault(v => v.Target == c.Target) is { } v && v.Means.TryGetValue(c.Metric, out var m)
                    ? Mark(Number(m)) : ""))
                .ToArray());
        }
        if (run.BestEpoch is not null) table.Caption("[grey]* best epoch[/]");
        return table;
    }

    private static Table KeyValueTable(string title, IEnumerable<(string Name, string Value)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title).HideHeaders().AddColumns("", "");
        foreach (var (name, value) in rows) table.AddRow($"[bold]{Markup.Escape(name)}[/]", Markup.Escape(value));
        return table;
    }

    /// <summary>Final test metric columns in protocol order (recall@20 before ndcg@20 as configured), then the rest.</summary>
    private static IEnumerable<string> MetricColumns(IReadOnlyList<RunRecord> runs)
    {
        var order = runs.SelectMany(r => r.Spec.Protocol.MetricColumns).Distinct().ToList();
        var present = runs.SelectMany(r => r.TestMetrics.Keys).Distinct().ToList();
        return order.Where(present.Contains).Concat(present.Except(order).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> OrderMetrics(RunRecord run, IEnumerable<string> metrics) =>
        metrics.OrderBy(m => MetricRank(run, m)).ThenBy(m => m, StringComparer.Ordinal);

    private static int MetricRank(RunRecord run, string metric)
    {
        var index = run.Spec.Protocol.MetricColumns.ToList().IndexOf(metric);
        return index < 0 ? int.MaxValue : index;
    }

    private static string StatusMarkup(RunStatus status) => status switch
    {
        RunStatus.Finished => "[green]finished[/]",
        RunStatus.Running => "[blue]running[/]",
        RunStatus.Failed => "[red]failed[/]",
        _ => "[yellow]interrupted[/]",
    };

    private static string Value(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Start to end; for a run that ended without saying so (interrupted), start to its last record.</summary>
    private static string Duration(RunRecord run)
    {
        var lastRecord = run.Epochs.Select(e => e.RecordedAt).Concat(run.Evaluations.Select(e => e.RecordedAt)).Max();
        var (end, note) = run.EndedAt is { } ended ? (ended, "")
            : run.Status == RunStatus.Running ? (DateTimeOffset.UtcNow, " so far")
            : (lastRecord ?? run.StartedAt, " until its last record");
        var span = end - run.StartedAt;
        var text = span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
            : $"{span.TotalSeconds:0.0}s";
        return text + note;
    }

}
