using System.Globalization;
using System.Text;

namespace CFBench.Core.Tracking.Export;

/// <summary>Writes runs as CSV (RFC 4180), one row each: identity, protocol, schedule, provenance, cost, then one
/// <c>param:NAME</c> column per hyper-parameter, one <c>test:METRIC</c> column per final test metric, and one
/// <c>extra:NAME</c> column per figure a model reported (<see cref="EpochRecord.Extra"/>) holding its value at the
/// best epoch (the epoch the test metrics grade), or at the last epoch when the run has no best epoch yet.</summary>
public static class RunCsvExporter
{
    public const string ParameterPrefix = "param:";
    public const string TestPrefix = "test:";
    public const string ExtraPrefix = "extra:";

    private static readonly (string Name, Func<RunRecord, object?> Value)[] Fixed =
    {
        ("id", r => r.Id),
        ("key", r => r.Key),
        ("suite", r => r.Spec.Suite),
        ("dataset", r => r.Spec.Dataset),
        ("dataset_fingerprint", r => r.Spec.DatasetFingerprint),
        ("model", r => r.Spec.Model),
        ("variant", r => r.Spec.Variant),
        ("seed", r => r.Spec.Seed),
        ("status", r => r.Status.ToString().ToLowerInvariant()),
        ("error", r => r.Error),
        ("started_at", r => RunStore.FormatTime(r.StartedAt)),
        ("ended_at", r => r.EndedAt is { } e ? RunStore.FormatTime(e) : null),
        ("epochs_run", r => r.EpochsRun),
        ("best_epoch", r => r.BestEpoch),
        ("protocol", r => r.Spec.Protocol.Name),
        ("k", r => string.Join(' ', r.Spec.Protocol.K)),
        ("ties", r => r.Spec.Protocol.Ties.ToString().ToLowerInvariant()),
        ("selection", r => r.Spec.Protocol.Selection.ToString().ToLowerInvariant()),
        ("max_epochs", r => r.Spec.Schedule.Epochs),
        ("selection_metric", r => r.Spec.Schedule.SelectionMetric),
        ("train_seconds", r => r.Epochs.Count == 0 ? null : r.Epochs.Sum(e => e.Seconds)),
        ("plugin_version", r => r.Provenance?.PluginVersion),
        ("plugin_sha256", r => r.Provenance?.PluginSha256),
        ("device", r => r.Provenance?.Device),
        ("device_name", r => r.Provenance?.DeviceName),
        ("git_commit", r => r.Provenance?.GitCommit),
        ("git_dirty", r => r.Provenance?.GitDirty),
        ("checkpoint", r => r.CheckpointPath),
    };

    public static void Write(IReadOnlyList<RunRecord> runs, TextWriter output)
    {
        var parameters = runs.SelectMany(r => r.Spec.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var metrics = runs.SelectMany(r => r.TestMetrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var extra = runs.SelectMany(r => r.Epochs.SelectMany(e => e.Extra.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        WriteRow(output, Fixed.Select(f => f.Name)
            .Concat(parameters.Select(p => ParameterPrefix + p))
            .Concat(metrics.Select(m => TestPrefix + m))
            .Concat(extra.Select(x => ExtraPrefix + x)));
        foreach (var run in runs)
        {
            var figures = ExtraAtBestEpoch(run);
            WriteRow(output, Fixed.Select(f => Format(f.Value(run)))
                .Concat(parameters.Select(p => run.Spec.Parameters.TryGetValue(p, out var v) ? Format(v) : ""))
                .Concat(metrics.Select(m => run.TestMetrics.TryGetValue(m, out var v) ? Format(v) : ""))
                .Concat(extra.Select(x => figures.TryGetValue(x, out var v) ? Format(v) : "")));
        }
    }

    private static IReadOnlyDictionary<string, double> ExtraAtBestEpoch(RunRecord run)
    {
        var epoch = run.BestEpoch is { } best ? run.Epochs.FirstOrDefault(e => e.Epoch == best) : run.Epochs.LastOrDefault();
        return epoch?.Extra ?? new Dictionary<string, double>();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        _ => ParameterValues.Format(value),
    };

    private static void WriteRow(TextWriter output, IEnumerable<string> cells)
    {
        output.Write(string.Join(',', cells.Select(Quote)));
        output.Write("\r\n");
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) < 0 ? cell : '"' + cell.Replace("\"", "\"\"") + '"';
}
