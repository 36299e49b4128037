using CFBench.Contracts;
using CFBench.Core.Runs;
using CFBench.Core.Training;
using TorchSharp;
using static CFBench.Tests.Training.TrainerTests;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 6 (and the trainer's side of item 1): a corrupt, foreign or half-written checkpoint is never
/// restored and never blamed on the plugin; the run falls back to the previous good checkpoint, or restarts, saying so.</summary>
public class CorruptCheckpointTests
{
    // Best epoch 4 (0.4) on validation every epoch; 8 epochs, no early stop.
    private static readonly double[] Curve = { 0.1, 0.2, 0.15, 0.4, 0.3, 0.35, 0.2, 0.1 };
    private static readonly TrainingSchedule Schedule = new(8, 1, 0, "recall@20");

    private static RunOutcome Uninterrupted() =>
        new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, new Recorder()).Run(new ScriptedModel(Curve), Plan(), null, CancellationToken.None);

    /// <summary>Trains until it is cancelled during <paramref name="cancelAt"/>; returns what the store would vouch for.</summary>
    private static (Recorder Observer, string Directory) Interrupted(int cancelAt)
    {
        var directory = RepoPaths.TempDirectory();
        using var cancel = new CancellationTokenSource();
        var observer = new Recorder();
        var model = new ScriptedModel(Curve, (epoch, token) =>
        {
            if (epoch != cancelAt) return;
            cancel.Cancel();
            token.ThrowIfCancellationRequested();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, observer).Run(model, Plan(), new RunCheckpoints(directory, null, null), cancel.Token));
        return (observer, directory);
    }

    private static void Corrupt(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void ACorruptLastCheckpointFallsBackToTheBestOneWithAWarning()
    {
        var (first, directory) = Interrupted(cancelAt: 7);
        Assert.Equal(6, first.Last!.Epoch);
        Assert.Equal(4, first.Best!.Epoch);
        Corrupt(first.Last.Path);

        var second = new Recorder();
        var outcome = new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, second)
            .Run(new ScriptedModel(Curve), Plan(), first.Vouched(directory), CancellationToken.None);

        var (warning, resumeEpoch) = Assert.Single(second.Rejections);
        Assert.Equal(4, resumeEpoch);
        Assert.Contains("does not match the checksum", warning);
        Assert.Contains("resuming after epoch 4", warning);
        Assert.Equal(new[] { 5, 6, 7, 8 }, second.Epochs);
        var reference = Uninterrupted();
        Assert.Equal((reference.BestEpoch, reference.EpochsRun), (outcome.BestEpoch, outcome.EpochsRun));
        Assert.Equal(reference.Test.Means, outcome.Test.Means);
    }

    [Fact]
    public void CorruptLastAndBestCheckpointsRestartTheRunWithAWarning()
    {
        var (first, directory) = Interrupted(cancelAt: 7);
        Corrupt(first.Last!.Path);
        File.WriteAllBytes(first.Best!.Path, Array.Empty<byte>());

        var second = new Recorder();
        var outcome = new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, second)
            .Run(new ScriptedModel(Curve), Plan(), first.Vouched(directory), CancellationToken.None);

        var (warning, resumeEpoch) = Assert.Single(second.Rejections);
        Assert.Equal(0, resumeEpoch);
        Assert.Contains("restarting the run from epoch 1", warning);
        Assert.Equal(Enumerable.Range(1, 8), second.Epochs);
        Assert.Equal(Uninterrupted().Test.Means, outcome.Test.Means);
    }

    [Fact]
    public void ACheckpointFileTheStoreDoesNotVouchForIsNeverRestored()
    {
        // Another store's (or a deleted run's) checkpoint of epoch 6 lies in the folder; this run's store vouches for nothing.
        var (foreign, directory) = Interrupted(cancelAt: 7);
        Assert.True(File.Exists(foreign.Last!.Path));

        var observer = new Recorder();
        var model = new ScriptedModel(Curve);
        new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, observer).Run(model, Plan(), new RunCheckpoints(directory, null, null), CancellationToken.None);

        Assert.Equal(1, model.Loads); // the best epoch, for the final grading; nothing was restored to resume
        Assert.Equal(Enumerable.Range(1, 8), observer.Epochs);
        Assert.Empty(observer.Rejections);
    }

    [Fact]
    public void ACheckpointReplacedBehindTheStoresBackIsRejected()
    {
        var (first, directory) = Interrupted(cancelAt: 7);
        // A well-formed checkpoint, but not the one the store recorded: same name and epoch, another model state.
        CheckpointFile.Write(first.Last!.Path, TrainingState.Fresh with { Epoch = 6 }, new ScriptedModel(Curve));

        var second = new Recorder();
        new Trainer(new ScriptedProtocol(), Schedule, torch.CPU, second)
            .Run(new ScriptedModel(Curve), Plan(), first.Vouched(directory), CancellationToken.None);
        Assert.Equal(4, Assert.Single(second.Rejections).ResumeEpoch);
    }

    [Fact]
    public void AFailedCheckpointWriteLeavesNoFileThatBreaksTheNextRun()
    {
        // Graded after the last epoch only, so the failing model is never evaluated (the scripted protocol grades ScriptedModels).
        var schedule = new TrainingSchedule(8, 100, 0, "recall@20");
        var directory = RepoPaths.TempDirectory();
        var first = new Recorder();
        var e = Assert.Throws<IOException>(() => new Trainer(new ScriptedProtocol(), schedule, torch.CPU, first)
            .Run(new DiskFullModel(Curve, failAtEpoch: 3), Plan(), new RunCheckpoints(directory, null, null), CancellationToken.None));
        Assert.Contains("No space left", e.Message);
        // Only the complete, vouched checkpoint remains: no partial epoch-3 file, no temporary file.
        Assert.Equal(new[] { "last-0002.ckpt" }, Directory.GetFiles(directory).Select(Path.GetFileName));

        var second = new Recorder();
        var outcome = new Trainer(new ScriptedProtocol(), schedule, torch.CPU, second)
            .Run(new ScriptedModel(Curve), Plan(), first.Vouched(directory), CancellationToken.None);
        Assert.Empty(second.Rejections);
        Assert.Equal(3, second.Epochs[0]);
        var reference = new Trainer(new ScriptedProtocol(), schedule, torch.CPU, new Recorder())
            .Run(new ScriptedModel(Curve), Plan(), null, CancellationToken.None);
        Assert.Equal(reference.Test.Means, outcome.Test.Means);
    }

    [Fact]
    public void AResumedRunWhoseLastCheckpointIsCorruptWarnsAndFinishesWithTheSameMetrics()
    {
        var workspace = new Runs.SuiteWorkspace("""{ "model": "BPR-MF", "params": { "lr": 0.01 } }""", epochs: 4, evaluateEvery: 2);
        var limit = TimeSpan.FromMinutes(4);
        var (code, log) = CliProcess.Run(workspace.Directory, limit, "run", "--suite", "t", "--keep-checkpoints");
        Assert.True(code == 0, log);
        Core.Tracking.RunRecord Read()
        {
            using var store = Core.Tracking.RunStore.Open(workspace.Database);
            return Assert.Single(store.List(null, Core.Tracking.RunDetail.History));
        }
        var finished = Read();
        // As if killed before the final test: interrupted, no results; then the last checkpoint gets corrupted.
        Tracking.TrackingSamples.Execute(workspace.Database, $"UPDATE runs SET status = 'interrupted' WHERE id = {finished.Id}; DELETE FROM results WHERE run_id = {finished.Id}");
        Corrupt(finished.LastCheckpointPath!);

        (code, log) = CliProcess.Run(workspace.Directory, limit, "run", "--suite", "t");
        Assert.True(code == 0, log);
        Assert.Contains("warning:", log);
        Assert.Contains("does not match the checksum", log);
        var resumed = Read();
        Assert.Equal(Core.Tracking.RunStatus.Finished, resumed.Status);
        Assert.Null(resumed.Error);
        Assert.Equal(finished.TestMetrics, resumed.TestMetrics);
        Assert.Equal(new[] { 1, 2, 3, 4 }, resumed.Epochs.Select(e => e.Epoch));
    }

    /// <summary>Writes half of its checkpoint of <paramref name="failAtEpoch"/> and then fails as a full disk does.</summary>
    private sealed class DiskFullModel(double[] curve, int failAtEpoch) : IRecommender
    {
        private readonly ScriptedModel _inner = new(curve);
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
        public EpochReport TrainEpoch(CancellationToken cancel) => _inner.TrainEpoch(cancel);
        public torch.Tensor Score(ScoreRequest request) => throw new NotSupportedException();
        public void SaveCheckpoint(Stream stream)
        {
            _inner.SaveCheckpoint(stream);
            if (_inner.Epoch < failAtEpoch) return;
            stream.Write(new byte[4096]);
            throw new IOException("No space left on device");
        }
        public void LoadCheckpoint(Stream stream) => _inner.LoadCheckpoint(stream);
        public void Dispose() { }
    }
}
