using CFBench.Core.Tracking;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Tracking;

/// <summary><see cref="RunStore.Merge"/> and <c>cfbench runs merge</c>: shard stores become one store by run key.</summary>
public class RunStoreMergeTests
{
    private static string StoreWith(Action<RunStore> record)
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        record(store);
        return path;
    }

    [Fact]
    public void CopiesRunsWithFreshIdsKeepingProvenanceHistoryAndPerUserValues()
    {
        var source = StoreWith(s =>
        {
            RecordRun(s, Spec("LightGCN", 1));
            RecordRun(s, Spec("LightGCN", 2));
        });
        var target = StoreWith(s => RecordRun(s, Spec("NGCF", 1)));
        using var store = RunStore.Open(target);

        var report = store.Merge(source);

        Assert.Equal((2, 0, 0, 0), (report.Added, report.Replaced, report.Unchanged, report.KeptTarget));
        Assert.Empty(report.Conflicts);
        using var original = RunStore.Open(source);
        foreach (var expected in original.List(detail: RunDetail.All))
        {
            var merged = store.List(detail: RunDetail.All).Single(r => r.Key == expected.Key);
            Assert.NotEqual(expected.Id, merged.Id); // ids 1 and 2 were taken here: fresh ids 2 and 3
            Assert.Equal(expected.Provenance, merged.Provenance is null ? null : merged.Provenance with { DatasetChecksums = expected.Provenance!.DatasetChecksums });
            Assert.Equal(expected.Provenance!.DatasetChecksums, merged.Provenance!.DatasetChecksums);
            Assert.Equal(expected.Spec.Parameters, merged.Spec.Parameters);
            Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.Loss)), merged.Epochs.Select(e => (e.Epoch, e.Loss)));
            Assert.Equal(expected.Evaluations.Select(e => (e.Epoch, e.Target, e.Means["recall@20"])),
                merged.Evaluations.Select(e => (e.Epoch, e.Target, e.Means["recall@20"])));
            Assert.Equal(expected.TestMetrics, merged.TestMetrics);
            Assert.Equal(expected.TestUsers, merged.TestUsers);
            Assert.Equal(expected.TestPerUser!["ndcg@20"], merged.TestPerUser!["ndcg@20"]);
        }
        Assert.Equal(new long[] { 1, 2, 3 }, store.List().Select(r => r.Id));
    }

    [Fact]
    public void MergingTwiceChangesNothing()
    {
        var source = StoreWith(s => RecordRun(s, Spec("LightGCN", 1)));
        var target = NewDatabase();
        using var store = RunStore.Open(target);
        store.Merge(source);
        var before = Dump(target);

        var again = store.Merge(source);

        Assert.Equal((0, 0, 1), (again.Added, again.Replaced, again.Unchanged));
        Assert.Equal(before, Dump(target));
    }

    [Fact]
    public void AFinishedRunWinsOverAnInterruptedOneInEitherDirection()
    {
        var spec = Spec("LightGCN", 1);
        string Finished() => StoreWith(s => RecordRun(s, spec));
        string Interrupted() => StoreWith(s => s.Fail(RecordRun(s, spec, finish: false), "preempted", interrupted: true));

        using (var store = RunStore.Open(Interrupted()))
        {
            var report = store.Merge(Finished());
            Assert.Equal(1, report.Replaced);
            var run = Assert.Single(store.List());
            Assert.Equal(RunStatus.Finished, run.Status);
            Assert.Equal(2, run.Id); // the interrupted run 1 is gone; its id is not reused
        }
        using (var store = RunStore.Open(Finished()))
        {
            var report = store.Merge(Interrupted());
            Assert.Equal(1, report.KeptTarget);
            Assert.Equal(RunStatus.Finished, Assert.Single(store.List()).Status);
        }
    }

    [Fact]
    public void TwoFinishedRunsWithDifferentResultsAreAConflictAndTheTargetKeepsItsOwn()
    {
        var spec = Spec("LightGCN", 1);
        var ours = StoreWith(s => RecordRun(s, spec));
        var theirs = StoreWith(s =>
        {
            var id = RecordRun(s, spec, finish: false);
            s.Finish(id, Outcome(recall: 0.25));
        });
        using var store = RunStore.Open(ours);

        var report = store.Merge(theirs);

        var conflict = Assert.Single(report.Conflicts);
        Assert.DoesNotContain('\n', conflict);
        Assert.Contains(spec.Key, conflict);
        Assert.Contains("ndcg@20 0.09 here, 0.125 there", conflict); // the first metric that differs, by name
        Assert.Equal(0.18, Assert.Single(store.List()).TestMetrics["recall@20"]);
    }

    [Fact]
    public void EveryTableOfTheSchemaIsMergedOrDeclaredRunless()
    {
        // A migration that adds a table holding run rows must add it to RunStore.MergedTables, or merges would drop it.
        var path = NewDatabase();
        using (RunStore.Open(path)) { }
        var tables = new List<string>();
        using (var connection = Raw(path))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = command.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var known = RunStore.MergedTables.Select(t => t.Name).Concat(RunStore.UnmergedTables).Append("runs");
        Assert.Empty(tables.Except(known));
    }

    [Fact]
    public void TheCommandPrintsAConflictLineAndExitsWithOne()
    {
        var spec = Spec("LightGCN", 1);
        var a = StoreWith(s => RecordRun(s, spec));
        var b = StoreWith(s => s.Finish(RecordRun(s, spec, finish: false), Outcome(recall: 0.3)));
        var c = StoreWith(s => RecordRun(s, Spec("NGCF", 7)));
        var into = NewDatabase();

        var (code, output) = CliProcess.Run(RepoPaths.TempDirectory(), TimeSpan.FromMinutes(1), "runs", "merge", a, b, c, "--into", into);

        Assert.True(code == 1, output);
        var conflict = Assert.Single(output.Split('\n'), l => l.Contains("conflict: run"));
        Assert.Contains(b, conflict);
        Assert.Contains(spec.Key, conflict);
        Assert.Contains("ndcg@20 0.09 here, 0.15 there", conflict);
        Assert.Contains("2 run(s), 2 finished; 1 conflict(s) left as they were", output);

        var (missingCode, missing) = CliProcess.Run(RepoPaths.TempDirectory(), TimeSpan.FromMinutes(1), "runs", "merge", a + ".nope", "--into", into);
        Assert.Equal(2, missingCode);
        Assert.Contains("no such run store", missing);
    }

    /// <summary>Every row of every table, in a fixed order.</summary>
    private static string Dump(string path)
    {
        using var connection = Raw(path);
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "runs", "run_ids" }.Concat(RunStore.MergedTables.Select(t => t.Name)))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
                rows.Add(table + ": " + string.Join("|", Enumerable.Range(0, reader.FieldCount)
                    .Select(i => reader.GetValue(i) is byte[] blob ? Convert.ToHexString(blob) : reader.GetValue(i).ToString())));
            foreach (var row in rows.Order(StringComparer.Ordinal)) text.AppendLine(row);
        }
        return text.ToString();
    }
}
