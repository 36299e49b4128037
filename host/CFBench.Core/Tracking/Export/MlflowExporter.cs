using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CFBench.Core.Tracking.Export;

/// <summary>
/// Writes runs in MLflow's file-store layout, so <c>mlflow ui --backend-store-uri PATH</c> shows them:
/// <c>PATH/&lt;experiment&gt;/meta.yaml</c> (one experiment per suite), <c>PATH/&lt;experiment&gt;/&lt;run&gt;/meta.yaml</c>,
/// <c>params/&lt;name&gt;</c> (the value), <c>metrics/&lt;name&gt;</c> (lines <c>timestamp value step</c>) and
/// <c>tags/&lt;name&gt;</c>. Run ids derive from the run key, so exporting again replaces a run instead of duplicating it;
/// experiments are matched by name.
/// </summary>
public static partial class MlflowExporter
{
    private const string DefaultExperimentId = "0";

    public static void Export(IReadOnlyList<RunRecord> runs, string root)
    {
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(root, ".trash"));
        var experiments = ReadExperiments(root);
        if (!experiments.ContainsValue(DefaultExperimentId)) WriteExperiment(root, DefaultExperimentId, "Default");

        foreach (var suite in runs.GroupBy(r => r.Spec.Suite))
        {
            if (!experiments.TryGetValue(suite.Key, out var experimentId))
            {
                experimentId = (experiments.Values.Select(id => long.TryParse(id, out var n) ? n : 0).Append(0).Max() + 1)
                    .ToString(CultureInfo.InvariantCulture);
                WriteExperiment(root, experimentId, suite.Key);
                experiments[suite.Key] = experimentId;
            }
            foreach (var run in suite) WriteRun(root, experimentId, run);
        }
    }

    /// <summary>The MLflow run id of a CFBench run: 32 hex digits derived from its key.</summary>
    public static string RunUuid(RunRecord run) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("cfbench-run:" + run.Key)))[..32];

    /// <summary>MLflow accepts letters, digits, <c>_ - . / space</c> in names (a slash would make a sub-folder here, so it is replaced too); <c>recall@20</c> becomes <c>recall_at_20</c>.</summary>
    public static string MetricName(string name) => InvalidNameCharacters().Replace(name.Replace("@", "_at_"), "_");

    private static Dictionary<string, string> ReadExperiments(string root)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var meta = Path.Combine(dir, "meta.yaml");
            if (!File.Exists(meta)) continue;
            var nameLine = File.ReadLines(meta).FirstOrDefault(l => l.StartsWith("name:", StringComparison.Ordinal));
            if (nameLine is null) continue;
            byName.TryAdd(Unquote(nameLine["name:".Length..].Trim()), Path.GetFileName(dir));
        }
        return byName;
    }

    private static void WriteExperiment(string root, string id, string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        WriteYaml(Path.Combine(dir, "meta.yaml"), new (string, string)[]
        {
            ("artifact_location", Quote(new Uri(dir).AbsoluteUri)),
            ("creation_time", Number(now)),
            ("experiment_id", Quote(id)),
            ("last_update_time", Number(now)),
            ("lifecycle_stage", "active"),
            ("name", Quote(name)),
        });
    }

    private static void WriteRun(string root, string experimentId, RunRecord run)
    {
        var uuid = RunUuid(run);
        var dir = Path.Combine(root, experimentId, uuid);
        foreach (var part in new[] { "metrics", "params", "tags" })
        {
            var sub = Path.Combine(dir, part);
            if (Directory.Exists(sub)) Directory.Delete(sub, recursive: true);
            Directory.CreateDirectory(sub);
        }
        Directory.CreateDirectory(Path.Combine(dir, "artifacts"));

        var runName = $"{run.Spec.Label} seed {run.Spec.Seed}";
        WriteYaml(Path.Combine(dir, "meta.yaml"), new (string, string)[]
        {
            ("artifact_uri", Quote(new Uri(Path.Combine(dir, "artifacts")).AbsoluteUri)),
            ("end_time", run.EndedAt is { } end ? Number(end.ToUnixTimeMilliseconds()) : "null"),
            ("entry_point_name", "''"),
            ("experiment_id", Quote(experimentId)),
            ("lifecycle_stage", "active"),
            ("run_id", uuid),
            ("run_name", Quote(runName)),
            ("run_uuid", uuid),
            ("source_name", "''"),
            ("source_type", "4"),
            ("source_version", "''"),
            ("start_time", Number(run.StartedAt.ToUnixTimeMilliseconds())),
            ("status", Status(run.Status)),
            ("tags", "[]"),
            ("user_id", Quote(Environment.UserName)),
        });

        foreach (var (name, value) in Params(run)) WriteValue(dir, "params", name, value);
        foreach (var (name, value) in Tags(run, runName)) WriteValue(dir, "tags", name, value);
        foreach (var (name, lines) in Metrics(run)) WriteValue(dir, "metrics", name, string.Concat(lines.Select(l => l + "\n")));
    }

    private static IEnumerable<(string, string)> Params(RunRecord run)
    {
        var spec = run.Spec;
        var p = spec.Protocol;
        var fixedParams = new (string, string)[]
        {
            ("model", spec.Model), ("variant", spec.Variant), ("dataset", spec.Dataset),
            ("dataset_fingerprint", spec.DatasetFingerprint), ("seed", spec.Seed.ToString(CultureInfo.InvariantCulture)),
            ("protocol", p.Name), ("protocol.k", string.Join(",", p.K)), ("protocol.metrics", string.Join(",", p.Metrics)),
            ("protocol.ties", p.Ties.ToString().ToLowerInvariant()), ("protocol.selection", p.Selection.ToString().ToLowerInvariant()),
            ("protocol.validation_fraction", ParameterValues.Format(p.ValidationFraction)),
            ("protocol.sampled_negatives", ParameterValues.Format(p.SampledNegatives)),
            ("protocol.duplicate_negative", p.DuplicateNegative), ("protocol.user_batch", ParameterValues.Format(p.UserBatch)),
            ("schedule.epochs", ParameterValues.Format(spec.Schedule.Epochs)),
            ("schedule.evaluate_every", ParameterValues.Format(spec.Schedule.EvaluateEvery)),
            ("schedule.patience", ParameterValues.Format(spec.Schedule.Patience)),
            ("schedule.selection_metric", spec.Schedule.SelectionMetric),
        };
        var taken = fixedParams.Select(f => f.Item1).ToHashSet();
        return fixedParams.Concat(spec.Parameters.Select(kv =>
            (taken.Contains(kv.Key) ? "param." + kv.Key : kv.Key, ParameterValues.Format(kv.Value))));
    }

    private static IEnumerable<(string, string)> Tags(RunRecord run, string runName)
    {
        yield return ("mlflow.runName", runName);
        yield return ("mlflow.user", Environment.UserName);
        yield return ("mlflow.source.name", "cfbench");
        yield return ("cfbench.id", run.Id.ToString(CultureInfo.InvariantCulture));
        yield return ("cfbench.key", run.Key);
        yield return ("cfbench.suite", run.Spec.Suite);
        yield return ("cfbench.status", run.Status.ToString().ToLowerInvariant());
        yield return ("cfbench.protocol_options", JsonSerializer.Serialize(run.Spec.Protocol, TrackingJson.Options));
        if (run.Error is { } error) yield return ("cfbench.error", error);
        if (run.CheckpointPath is { } checkpoint) yield return ("cfbench.checkpoint", checkpoint);
        if (run.Provenance is not { } p) yield break;
        yield return ("mlflow.source.git.commit", p.GitCommit);
        yield return ("cfbench.git_dirty", p.GitDirty ? "true" : "false");
        yield return ("cfbench.plugin.path", p.PluginAssemblyPath);
        yield return ("cfbench.plugin.version", p.PluginVersion);
        yield return ("cfbench.plugin.sha256", p.PluginSha256);
        yield return ("cfbench.contract_version", p.ContractVersion);
        yield return ("cfbench.dataset_checksums", JsonSerializer.Serialize(p.DatasetChecksums, TrackingJson.Options));
        yield return ("cfbench.device", p.Device);
        yield return ("cfbench.device_name", p.DeviceName);
        yield return ("cfbench.device_memory_bytes", p.DeviceMemoryBytes.ToString(CultureInfo.InvariantCulture));
        yield return ("cfbench.torchsharp", p.TorchSharpVersion);
        yield return ("cfbench.libtorch", p.LibTorchVersion);
        yield return ("cfbench.os", p.OperatingSystem);
        yield return ("cfbench.host", p.Host);
    }

    /// <summary>Per-epoch training figures (<c>train.*</c>), the model's own figures per epoch (<c>extra.NAME</c>), every
    /// evaluation (<c>TARGET.METRIC</c>) by epoch, and the final test metrics under their plain names at the best epoch.</summary>
    private static Dictionary<string, List<string>> Metrics(RunRecord run)
    {
        var metrics = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, DateTimeOffset? at, double value, int step)
        {
            var key = MetricName(name);
            if (!metrics.TryGetValue(key, out var lines)) metrics[key] = lines = new List<string>();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(at ?? run.StartedAt).ToUnixTimeMilliseconds()} {value.ToString("R", CultureInfo.InvariantCulture)} {step}"));
        }
        foreach (var e in run.Epochs)
        {
            Add("train.loss", e.RecordedAt, e.Loss, e.Epoch);
            Add("train.seconds", e.RecordedAt, e.Seconds, e.Epoch);
            Add("train.samples_per_second", e.RecordedAt, e.SamplesPerSecond, e.Epoch);
            Add("train.peak_memory_bytes", e.RecordedAt, e.PeakMemoryBytes, e.Epoch);
            foreach (var (name, value) in e.Extra) Add("extra." + name, e.RecordedAt, value, e.Epoch);
        }
        foreach (var evaluation in run.Evaluations)
        {
            foreach (var (metric, value) in evaluation.Means)
                Add($"{evaluation.Target}.{metric}", evaluation.RecordedAt, value, evaluation.Epoch);
            Add($"{evaluation.Target}.seconds", evaluation.RecordedAt, evaluation.Seconds, evaluation.Epoch);
        }
        var best = run.BestEpoch ?? run.EpochsRun;
        foreach (var (metric, value) in run.TestMetrics) Add(metric, run.EndedAt, value, best);
        if (run.BestEpoch is { } b) Add("best_epoch", run.EndedAt, b, b);
        return metrics;
    }

    private static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "1",
        RunStatus.Finished => "3",
        RunStatus.Failed => "4",
        _ => "5", // KILLED
    };

    private static void WriteValue(string runDir, string folder, string name, string value)
    {
        var safe = MetricName(name);
        File.WriteAllText(Path.Combine(runDir, folder, safe), value, new UTF8Encoding(false));
    }

    private static void WriteYaml(string path, IEnumerable<(string Key, string Value)> entries) =>
        File.WriteAllText(path, string.Concat(entries.Select(e => $"{e.Key}: {e.Value}\n")), new UTF8Encoding(false));

    private static string Quote(string value) => "'" + value.Replace("\r", " ").Replace("\n", " ").Replace("'", "''") + "'";

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("''", "'")
        : value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1]
        : value;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[^\w.\- ]")]
    private static partial Regex InvalidNameCharacters();
}
