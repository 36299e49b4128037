using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using Microsoft.Data.Sqlite;

namespace CFBench.Tests.Tracking;

/// <summary>Specs, provenance and results to record in tests, and raw access to a store's file.</summary>
internal static class TrackingSamples
{
    public static RunSpec Spec(string model = "LightGCN", long seed = 2020, string suite = "lightgcn-gowalla", string dataset = "gowalla",
        IReadOnlyDictionary<string, object>? parameters = null) => new()
    {
        Suite = suite,
        Dataset = dataset,
        DatasetFingerprint = "abc123",
        Protocol = new ProtocolOptions { K = new[] { 20, 50 }, Ties = TiePolicy.Pessimistic, Selection = ModelSelection.Test },
        Model = model,
        Variant = "K3",
        Parameters = parameters ?? new Dictionary<string, object> { ["lr"] = 0.001, ["layers"] = 3L, ["dropout"] = false, ["init"] = "normal", ["decay"] = 1.0 },
        Seed = seed,
        Schedule = new TrainingSchedule(100, 5, 10, "recall@20"),
    };

    public static RunProvenance Provenance() => new(
        "/plugins/LightGCN/LightGCN.dll", "1.0.0", "deadbeef", "1.0",
        new Dictionary<string, string> { ["train.txt"] = "sha-train", ["test.txt"] = "sha-test" },
        "cpu", "Test CPU", 8L << 30, "0.107.0", "2.7.1", "Linux", "0123abcd", true, Environment.MachineName);

    public static EvaluationResult Evaluation(string target, double recall, int users = 4)
    {
        var ids = Enumerable.Range(0, users).Select(u => u * 3).ToArray();
        return new EvaluationResult(target,
            new Dictionary<string, double> { ["recall@20"] = recall, ["ndcg@20"] = recall / 2 },
            new Dictionary<string, float[]>
            {
                ["recall@20"] = ids.Select(u => (float)(recall + u / 1000.0)).ToArray(),
                ["ndcg@20"] = ids.Select(u => (float)(recall / 2 + u / 1000.0)).ToArray(),
            },
            ids, 0.25);
    }

    public static RunOutcome Outcome(int bestEpoch = 2, double recall = 0.18) =>
        new(bestEpoch, Evaluation("validation", recall + 0.01), Evaluation("test", recall), 3, "/ckpt/best.pt");

    /// <summary>The model's own figures <see cref="RecordRun"/> records with epoch <paramref name="epoch"/>.</summary>
    public static IReadOnlyDictionary<string, double> Extra(int epoch) =>
        new Dictionary<string, double> { ["negative_collisions"] = 10 * epoch, ["beta"] = 0.05 * epoch };

    /// <summary>Starts a run and records three epochs (with <see cref="Extra"/> figures) with a validation evaluation each.</summary>
    public static long RecordRun(RunStore store, RunSpec spec, bool finish = true)
    {
        var id = store.Start(spec, Provenance());
        for (int e = 1; e <= 3; e++)
        {
            store.RecordEpoch(id, new EpochRecord(e, 1.0 / e, 2.5, 1000 * e, 1L << 20) { Extra = Extra(e) });
            store.RecordEvaluation(id, e, Evaluation("validation", 0.1 * e));
        }
        if (finish) store.Finish(id, Outcome());
        return id;
    }

    public static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    public static object? Scalar(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static string NewDatabase() => Path.Combine(RepoPaths.TempDirectory(), "nested", "runs.db");
}
