using System.Diagnostics;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Tracking;

/// <summary>What the trainer writes and how it reads back: spec, epochs, evaluations, results, resume, liveness.</summary>
public class RunRecorderTests
{
    [Fact]
    public void RecordsSpecProvenanceHistoryAndResults()
    {
        using var store = RunStore.Open(NewDatabase());
        var spec = Spec();
        var id = RecordRun(store, spec);
        store.RecordCheckpoint(id, new Checkpoint("/ckpt/last.pt", 3, "ab"), isBest: false);

        var run = store.Require(id, RunDetail.All);
        Assert.Equal(spec.Key, run.Key);
        Assert.Equal(spec.Key, run.Spec.Key); // every field of the spec, parameter kinds included, came back
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.Equal(Provenance() with { DatasetChecksums = run.Provenance!.DatasetChecksums }, run.Provenance);
        Assert.Equal("sha-train", run.Provenance.DatasetChecksums["train.txt"]);
        Assert.Equal(new[] { 1, 2, 3 }, run.Epochs.Select(e => e.Epoch));
        Assert.Equal(0.5, run.Epochs[1].Loss);
        Assert.Equal(2000, run.Epochs[1].SamplesPerSecond);
        Assert.NotNull(run.Epochs[0].RecordedAt);
        Assert.Equal(3, run.Evaluations.Count);
        Assert.Equal(0.3, run.Evaluations[2].Means["recall@20"], 12);
        Assert.Equal(0.18, run.TestMetrics["recall@20"]);
        Assert.Equal(2, run.BestEpoch);
        Assert.Equal(3, run.EpochsRun);
        Assert.Equal("/ckpt/best.pt", run.CheckpointPath);
        Assert.Equal("/ckpt/last.pt", run.LastCheckpointPath);
        Assert.NotNull(run.EndedAt);
        Assert.Equal(Evaluation("test", 0.18).Users, run.TestUsers);
        Assert.Equal(Evaluation("test", 0.18).PerUser["ndcg@20"], run.TestPerUser!["ndcg@20"]);
    }

    [Fact]
    public void ParameterKindsSurvive()
    {
        using var store = RunStore.Open(NewDatabase());
        var id = RecordRun(store, Spec());
        var parameters = store.Require(id).Spec.Parameters;
        Assert.IsType<double>(parameters["decay"]);
        Assert.Equal(1.0, parameters["decay"]);
        Assert.IsType<long>(parameters["layers"]);
        Assert.Equal(false, parameters["dropout"]);
        Assert.Equal("normal", parameters["init"]);
        Assert.Equal(0.001, parameters["lr"]);
    }

    [Fact]
    public void SummaryListsSkipHistoryAndFilter()
    {
        using var store = RunStore.Open(NewDatabase());
        RecordRun(store, Spec("LightGCN", 1));
        RecordRun(store, Spec("NGCF", 1));
        var failed = RecordRun(store, Spec("NGCF", 2), finish: false);
        store.Fail(failed, "boom", interrupted: false);
        RecordRun(store, Spec("LightGCN", 1, suite: "other", dataset: "yelp"));

        var all = store.List();
        Assert.Equal(4, all.Count);
        Assert.All(all, r => Assert.Empty(r.Epochs));
        Assert.Equal(2, store.List(new RunFilter { Model = "NGCF" }).Count);
        Assert.Equal(3, store.List(new RunFilter { Suite = "lightgcn-gowalla" }).Count);
        Assert.Single(store.List(new RunFilter { Dataset = "yelp" }));
        var failedRuns = store.List(new RunFilter { Statuses = new[] { RunStatus.Failed } });
        Assert.Equal(failed, Assert.Single(failedRuns).Id);
        Assert.Equal("boom", failedRuns[0].Error);
        Assert.Equal(3, store.List(new RunFilter { Statuses = new[] { RunStatus.Finished } }, RunDetail.History).Count(r => r.Epochs.Count == 3));
    }

    [Theory]
    [InlineData("result_metrics", "INSERT")]
    [InlineData("runs", "UPDATE")]
    public void FinishIsAtomic(string table, string operation)
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        var id = RecordRun(store, Spec(), finish: false);
        // Make one statement of Finish fail, whichever it is: nothing of Finish may stay behind.
        Execute(path, $"CREATE TRIGGER fail_finish BEFORE {operation} ON {table} BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");

        Assert.Throws<RunStoreException>(() => store.Finish(id, Outcome()));

        var run = store.Require(id, RunDetail.All);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Empty(run.TestMetrics);
        Assert.Null(run.TestPerUser);
        Assert.Null(run.EndedAt);
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM results"));
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM result_metrics"));

        Execute(path, "DROP TRIGGER fail_finish");
        store.Finish(id, Outcome());
        Assert.Equal(RunStatus.Finished, store.Require(id).Status);
    }

    [Fact]
    public void FinishRejectsMisalignedPerUserVectorsBeforeWriting()
    {
        using var store = RunStore.Open(NewDatabase());
        var id = RecordRun(store, Spec(), finish: false);
        var test = Evaluation("test", 0.2) with { Users = new[] { 1, 2 } };
        Assert.Throws<ArgumentException>(() => store.Finish(id, Outcome() with { Test = test }));
        Assert.Equal(RunStatus.Running, store.Require(id).Status);
    }

    [Fact]
    public void InterruptedRunResumesFromLastCheckpoint()
    {
        using var store = RunStore.Open(NewDatabase());
        var spec = Spec();
        var id = store.Start(spec, Provenance());
        for (int e = 1; e <= 5; e++)
        {
            store.RecordEpoch(id, new EpochRecord(e, 1.0 / e, 1, 1, 1));
            store.RecordEvaluation(id, e, Evaluation("validation", 0.1 * e));
            if (e == 2) store.RecordCheckpoint(id, new Checkpoint("/ckpt/best.pt", e, "cd"), isBest: true);
            if (e == 3) store.RecordCheckpoint(id, new Checkpoint("/ckpt/last.pt", e, "ef"), isBest: false);
        }
        store.Fail(id, "cancelled", interrupted: true);

        var found = store.FindByKey(spec.Key)!;
        Assert.Equal(RunStatus.Interrupted, found.Status);
        Assert.Equal(("/ckpt/last.pt", 3), (found.LastCheckpointPath, found.LastCheckpointEpoch));
        Assert.Equal(new Checkpoint("/ckpt/last.pt", 3, "ef"), found.LastCheckpoint);
        Assert.Equal(new Checkpoint("/ckpt/best.pt", 2, "cd"), found.BestCheckpoint);
        Assert.Equal(5, found.Epochs.Count);

        Assert.Equal(id, store.Start(spec, Provenance()));
        var resumed = store.Require(id);
        Assert.Equal(RunStatus.Running, resumed.Status);
        Assert.Null(resumed.Error);
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(new[] { 1, 2, 3 }, resumed.Epochs.Select(e => e.Epoch));
        Assert.Equal(new[] { 1, 2, 3 }, resumed.Evaluations.Select(e => e.Epoch));
        Assert.Equal(3, resumed.EpochsRun);
        Assert.Equal((2, "/ckpt/best.pt"), (resumed.BestEpoch!.Value, resumed.CheckpointPath));

        store.Rewind(id, 0); // checkpoint unusable: start over
        var fresh = store.Require(id);
        Assert.Empty(fresh.Epochs);
        Assert.Null(fresh.LastCheckpointPath);
        Assert.Null(fresh.BestEpoch);
    }

    [Fact]
    public void FinishedRunIsNotStartedAgain()
    {
        using var store = RunStore.Open(NewDatabase());
        var spec = Spec();
        var id = RecordRun(store, spec);
        var e = Assert.Throws<RunStoreException>(() => store.Start(spec, Provenance()));
        Assert.Contains("already finished", e.Message);
        store.Fail(id, "late failure", interrupted: false); // a finished run stays finished
        Assert.Equal(RunStatus.Finished, store.Require(id).Status);
    }

    [Fact]
    public void FreshStartReplacesEarlierRecord()
    {
        using var store = RunStore.Open(NewDatabase());
        var spec = Spec();
        RecordRun(store, spec);
        var id = store.Start(spec, Provenance(), fresh: true);
        var run = Assert.Single(store.List(detail: RunDetail.History));
        Assert.Equal(id, run.Id);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Empty(run.Epochs);
        Assert.Empty(run.TestMetrics);
    }

    [Fact]
    public void UnknownRunIsOneLineError()
    {
        using var store = RunStore.Open(NewDatabase());
        Assert.Contains("no run 42", Assert.Throws<RunStoreException>(() => store.RecordEpoch(42, new EpochRecord(1, 1, 1, 1, 1))).Message);
        Assert.Contains("no run 42", Assert.Throws<RunStoreException>(() => store.Fail(42, "x", false)).Message);
        Assert.Contains("no run 42", Assert.Throws<RunStoreException>(() => store.Require(42)).Message);
        Assert.Null(store.Get(42));
        Assert.Null(store.FindByKey("nope"));
    }

    [Fact]
    public void RunOfDeadProcessReadsAsInterruptedAndIsReused()
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        var spec = Spec();
        var id = store.Start(spec, Provenance());
        Assert.Equal(RunStatus.Running, store.Require(id).Status); // this process is alive

        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            gone.WaitForExit();
            Execute(path, $"UPDATE runs SET process_id = {gone.Id}, process_started = NULL WHERE id = {id}");
        }
        var dead = store.Require(id);
        Assert.Equal(RunStatus.Interrupted, dead.Status);
        Assert.Contains("ended without finishing", dead.Error);
        Assert.Equal(id, Assert.Single(store.List(new RunFilter { Statuses = new[] { RunStatus.Interrupted } })).Id);
        Assert.Equal("running", Scalar(path, $"SELECT status FROM runs WHERE id = {id}")); // a query does not write

        Assert.Equal(id, store.Start(spec, Provenance()));
        Assert.Equal(RunStatus.Running, store.Require(id).Status);
    }

    [Fact]
    public void ReusedPidWithOtherStartTimeReadsAsInterrupted()
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        var id = store.Start(Spec(), Provenance());
        Execute(path, $"UPDATE runs SET process_started = '2001-01-01T00:00:00.000Z' WHERE id = {id}");
        Assert.Equal(RunStatus.Interrupted, store.Require(id).Status);
    }

    [Fact]
    public void RunOfLiveOtherProcessIsNotTakenOver()
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        var spec = Spec();
        var id = store.Start(spec, Provenance());
        using var other = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var started = RunStore.FormatTime(other.StartTime.ToUniversalTime());
            Execute(path, $"UPDATE runs SET process_id = {other.Id}, process_started = '{started}' WHERE id = {id}");
            Assert.Equal(RunStatus.Running, store.Require(id).Status);
            var e = Assert.Throws<RunStoreException>(() => store.Start(spec, Provenance()));
            Assert.Contains("already running", e.Message);
            Assert.Throws<RunStoreException>(() => store.Start(spec, Provenance(), fresh: true)); // --rerun neither
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
        Assert.Equal(RunStatus.Interrupted, store.Require(id).Status);
    }

    [Fact]
    public void ConcurrentWritersLoseNothing()
    {
        var path = NewDatabase();
        using (RunStore.Open(path)) { }
        const int runsPerWriter = 12, epochs = 4;
        void Writer(string model)
        {
            using var store = RunStore.Open(path);
            for (int s = 0; s < runsPerWriter; s++)
            {
                var id = store.Start(Spec(model, s), Provenance());
                for (int e = 1; e <= epochs; e++)
                {
                    store.RecordEpoch(id, new EpochRecord(e, 1, 1, 1, 1));
                    store.RecordEvaluation(id, e, Evaluation("validation", 0.01 * e));
                }
                store.Finish(id, Outcome());
            }
        }
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var writers = new[] { "NGCF", "LightGCN" }.Select(m => new Thread(() =>
        {
            try { Writer(m); }
            catch (Exception e) { errors.Add(e); }
        })).ToArray();
        foreach (var t in writers) t.Start();
        var reader = RunStore.Open(path);
        while (writers.Any(t => t.IsAlive)) reader.List(); // readers work while writers write
        foreach (var t in writers) t.Join();
        var runs = reader.List(detail: RunDetail.History);
        reader.Dispose();

        Assert.Empty(errors);
        Assert.Equal(2 * runsPerWriter, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(RunStatus.Finished, r.Status);
            Assert.Equal(epochs, r.Epochs.Count);
            Assert.Equal(epochs, r.Evaluations.Count); // the selection result at the best epoch was already recorded
        });
    }
}
