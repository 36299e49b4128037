using CFBench.Core.Config;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;

namespace CFBench.Tests.Reporting;

/// <summary>One run as it would go through the recorder: spec, provenance, epochs, evaluations, outcome.</summary>
public sealed record FixtureRun(
    RunSpec Spec, RunProvenance Provenance, RunStatus Status, IReadOnlyList<EpochRecord> Epochs,
    IReadOnlyList<(int Epoch, EvaluationResult Result)> Evaluations, RunOutcome? Outcome, DateTimeOffset StartedAt)
{
    /// <summary>The record the store would read back (in-memory path, before the store exists).</summary>
    public RunRecord ToRecord(long id) => new()
    {
        Id = id,
        Key = Spec.Key,
        Spec = Spec,
        Provenance = Provenance,
        Status = Status,
        Error = Status == RunStatus.Failed ? "boom" : null,
        StartedAt = StartedAt,
        EndedAt = Status == RunStatus.Running ? null : StartedAt.AddMinutes(10),
        BestEpoch = Outcome?.BestEpoch,
        EpochsRun = Outcome?.EpochsRun ?? Epochs.Count,
        Epochs = Epochs,
        Evaluations = Evaluations.Select(e => new EvaluationRecord(e.Epoch, e.Result.Target, e.Result.Means, e.Result.Seconds)).ToList(),
        TestMetrics = Outcome?.Test.Means ?? new Dictionary<string, double>(),
        TestPerUser = Outcome?.Test.PerUser,
        TestUsers = Outcome?.Test.Users,
    };

    /// <summary>Sends the run through a recorder, the way the trainer does.</summary>
    public long WriteTo(IRunRecorder recorder)
    {
        var id = recorder.Start(Spec, Provenance);
        foreach (var e in Epochs) recorder.RecordEpoch(id, e);
        foreach (var (epoch, result) in Evaluations) recorder.RecordEvaluation(id, epoch, result);
        if (Status == RunStatus.Finished) recorder.Finish(id, Outcome!);
        else if (Status is RunStatus.Failed or RunStatus.Interrupted) recorder.Fail(id, "boom", Status == RunStatus.Interrupted);
        return id;
    }
}

/// <summary>
/// A small synthetic suite: dataset toy-a (MF baseline, LightGCN/K3, NGCF; 3/3/2 seeds; 300 users with per-user
/// vectors), dataset toy-b (MF, and LightGCN/K3 selected on the test set), plus a running run, a failed run and a
/// finished MF run superseded by a later one. Values are drawn from a fixed seed.
/// </summary>
public static class ReportFixture
{
    public const string SuiteName = "demo";
    public const int Users = 300;
    public static readonly string[] Columns = { "recall@20", "ndcg@20" };

    public static SuiteConfig Suite(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>? references = null) => new()
    {
        Description = "Synthetic suite for the report tests",
        Datasets = new[] { "toy-a", "toy-b" },
        Protocol = "fr",
        Seeds = new long[] { 1, 2, 3 },
        Baseline = "MF",
        Models = new[]
        {
            new SuiteModelConfig { Model = "MF" },
            new SuiteModelConfig { Model = "LightGCN", Variants = new[] { "K3" } },
            new SuiteModelConfig { Model = "NGCF" },
        },
        References = references,
        ReferenceTolerance = 0.005,
    };

    // Mean level per label and column: LightGCN best on recall, NGCF best on NDCG.
    private static readonly Dictionary<string, (double Recall, double Ndcg)> Levels = new()
    {
        ["MF"] = (0.150, 0.100),
        ["LightGCN/K3"] = (0.200, 0.120),
        ["NGCF"] = (0.170, 0.126),
    };

    public static List<FixtureRun> Runs()
    {
        var runs = new List<FixtureRun>();
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        int n = 0;
        FixtureRun Add(string dataset, string model, string variant, long seed, RunStatus status = RunStatus.Finished,
            ModelSelection selection = ModelSelection.Validation, double shift = 0, string? dataVersion = null)
        {
            var run = Make(dataset, model, variant, seed, status, selection, shift, dataVersion, start.AddHours(n++));
            runs.Add(run);
            return run;
        }

        // An earlier MF seed-1 run on an earlier version of the data, replaced by the later one below: it must not count.
        Add("toy-a", "MF", "", 1, shift: 0.5, dataVersion: "old");
        foreach (var seed in new long[] { 1, 2, 3 }) Add("toy-a", "MF", "", seed);
        foreach (var seed in new long[] { 1, 2, 3 }) Add("toy-a", "LightGCN", "K3", seed);
        foreach (var seed in new long[] { 1, 2 }) Add("toy-a", "NGCF", "", seed);
        Add("toy-a", "NGCF", "", 3, RunStatus.Running);
        Add("toy-a", "LightGCN", "K3", 4, RunStatus.Failed);
        Add("toy-b", "MF", "", 1);
        Add("toy-b", "LightGCN", "K3", 1, selection: ModelSelection.Test);
        return runs;
    }

    public static List<RunRecord> Records() => Runs().Select((r, i) => r.ToRecord(i + 1)).ToList();

    private static int StableSeed(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;

    public static FixtureRun Make(string dataset, string model, string variant, long seed, RunStatus status,
        ModelSelection selection, double shift, string? dataVersion, DateTimeOffset startedAt)
    {
        var label = variant.Length == 0 ? model : $"{model}/{variant}";
        var level = Levels.TryGetValue(label, out var l) ? l : (Recall: 0.1, Ndcg: 0.1);
        var rng = new Random(StableSeed($"{dataset}|{label}|{seed}"));
        var spec = new RunSpec
        {
            Suite = SuiteName,
            Dataset = dataset,
            DatasetFingerprint = dataVersion is null ? $"fp-{dataset}" : $"fp-{dataset}-{dataVersion}",
            Protocol = new ProtocolOptions { Name = "full-ranking", K = new[] { 20 }, Metrics = new[] { "recall", "ndcg" }, Selection = selection },
            Model = model,
            Variant = variant,
            Parameters = new Dictionary<string, object> { ["dim"] = 64L },
            Seed = seed,
            Schedule = new TrainingSchedule(6, 2, 0, "recall@20"),
        };
        var provenance = new RunProvenance(
            $"/plugins/{model}/{model}.dll", "1.0.0", "ab12cd34", "1.0", new Dictionary<string, string> { [$"{dataset}/train.txt"] = $"sha-{dataset}" },
            "cpu", "Test CPU", 0, "0.107.0", "2.7.1", "Linux", "c0ffee1234", false, "ci-host");

        // Users in a run-specific order, so the report must pair them by id, not by position.
        var users = Enumerable.Range(0, Users).OrderBy(_ => rng.Next()).ToArray();
        float Value(double mean) => (float)Math.Clamp(mean + shift + (rng.NextDouble() - 0.5) * 0.2, 0, 1);
        var recall = users.Select(u => Value(level.Recall + (u % 10) * 0.004)).ToArray();
        var ndcg = users.Select(u => Value(level.Ndcg + (u % 7) * 0.004)).ToArray();
        var test = new EvaluationResult("test",
            new Dictionary<string, double> { ["recall@20"] = recall.Average(v => (double)v), ["ndcg@20"] = ndcg.Average(v => (double)v) },
            new Dictionary<string, float[]> { ["recall@20"] = recall, ["ndcg@20"] = ndcg }, users, 0.5);

        int epochs = status == RunStatus.Finished ? 6 : 2;
        var epochRecords = Enumerable.Range(1, epochs)
            .Select(e => new EpochRecord(e, 0.7 * Math.Exp(-0.3 * e) + rng.NextDouble() * 0.01, 1.5 + rng.NextDouble(), 50_000 + rng.Next(1000), (200L + e) << 20))
            .ToList();
        var target = selection == ModelSelection.Test ? "test" : "validation";
        var evaluations = Enumerable.Range(1, epochs / 2).Select(i => (Epoch: i * 2, Result: new EvaluationResult(target,
            new Dictionary<string, double> { ["recall@20"] = level.Recall * (1 - Math.Exp(-0.5 * i)), ["ndcg@20"] = level.Ndcg * (1 - Math.Exp(-0.5 * i)) },
            new Dictionary<string, float[]>(), Array.Empty<int>(), 0.25))).ToList();
        var outcome = status == RunStatus.Finished ? new RunOutcome(epochs, evaluations[^1].Result, test, epochs, null) : null;
        return new FixtureRun(spec, provenance, status, epochRecords, evaluations, outcome, startedAt);
    }
}
