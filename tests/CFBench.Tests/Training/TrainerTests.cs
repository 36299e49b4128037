using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Tests.Training;

public class TrainerTests
{
    /// <summary>A model whose "quality" follows a scripted curve over epochs; its checkpoint is the epoch counter.</summary>
    internal sealed class ScriptedModel(double[] qualityByEpoch, Action<int, CancellationToken>? beforeEpoch = null) : IRecommender
    {
        public int Epoch { get; private set; }
        public int Loads { get; private set; }
        public double Quality => qualityByEpoch[Epoch - 1];
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
        public EpochReport TrainEpoch(CancellationToken cancel)
        {
            beforeEpoch?.Invoke(Epoch + 1, cancel);
            Epoch++;
            return new EpochReport(1.0 / Epoch, 10);
        }
        public torch.Tensor Score(ScoreRequest request) => throw new NotSupportedException();
        public void SaveCheckpoint(Stream stream) => new BinaryWriter(stream).Write(Epoch);
        public void LoadCheckpoint(Stream stream) { Epoch = new BinaryReader(stream).ReadInt32(); Loads++; }
        public void Dispose() { }
    }

    /// <summary>Grades a <see cref="ScriptedModel"/> by its scripted quality.</summary>
    internal sealed class ScriptedProtocol : IProtocol
    {
        public List<(string Target, int Epoch)> Evaluations { get; } = new();
        public ProtocolOptions Options { get; } = new();
        public bool ScoresHeldOutUsers => false;
        public EvaluationPlan Plan(InteractionDataset data, long seed) => throw new NotSupportedException();
        public EvaluationResult Evaluate(IRecommender model, EvaluationTarget target, torch.Device device, CancellationToken cancel = default)
        {
            var scripted = (ScriptedModel)model;
            Evaluations.Add((target.Name, scripted.Epoch));
            return new EvaluationResult(target.Name, new Dictionary<string, double> { ["recall@20"] = scripted.Quality },
                new Dictionary<string, float[]>(), Array.Empty<int>(), 0);
        }
    }

    /// <summary>Hears the trainer as the run store would: epochs, and the checkpoints it vouches for.</summary>
    internal sealed class Recorder : ITrainingObserver
    {
        public List<int> Epochs { get; } = new();
        public Checkpoint? Last { get; private set; }
        public Checkpoint? Best { get; private set; }
        public void OnEpoch(EpochRecord epoch) => Epochs.Add(epoch.Epoch);
        public void OnEvaluation(int epoch, EvaluationResult result, bool isBest) { }
        public void OnCheckpoint(Checkpoint checkpoint, bool isBest)
        {
            if (isBest) Best = checkpoint;
            Last = checkpoint;
        }
        public List<(string Warning, int ResumeEpoch)> Rejections { get; } = new();
        public void OnCheckpointsRejected(string warning, int resumeEpoch) => Rejections.Add((warning, resumeEpoch));
        public RunCheckpoints Vouched(string directory) => new(directory, Last, Best);
    }

    internal static EvaluationPlan Plan()
    {
        var empty = InteractionMatrix.FromPairs(1, 1, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty);
        var target = new EvaluationTarget("validation", new[] { 0 }, empty, empty);
        return new EvaluationPlan(new TrainingSet("t", empty), target, target with { Name = "test" });
    }

    [Fact]
    public void StopsAfterPatienceAndGradesTheBestEpoch()
    {
        // Evaluations every 2 epochs: epoch 2 → 0.1, 4 → 0.3 (best), 6 → 0.2, 8 → 0.25: patience 2 stops after epoch 8.
        var model = new ScriptedModel(new[] { 0, 0.1, 0, 0.3, 0, 0.2, 0, 0.25, 0, 0.9 });
        var protocol = new ScriptedProtocol();
        var observer = new Recorder();
        var trainer = new Trainer(protocol, new TrainingSchedule(10, 2, 2, "recall@20"), torch.CPU, observer);

        var outcome = trainer.Run(model, Plan(), null, CancellationToken.None);

        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, observer.Epochs);
        Assert.Equal(4, outcome.BestEpoch);
        Assert.Equal(8, outcome.EpochsRun);
        Assert.Equal(("test", 4), protocol.Evaluations[^1]);
        Assert.Equal(0.3, outcome.Test.Means["recall@20"]);
    }

    [Fact]
    public void ResumesFromTheLastCheckpointWithTheSameDecisions()
    {
        var curve = new[] { 0.1, 0.2, 0.15, 0.4, 0.3, 0.35, 0.2, 0.1 };
        var directory = RepoPaths.TempDirectory();
        var schedule = new TrainingSchedule(8, 1, 3, "recall@20");

        var uninterrupted = new Trainer(new ScriptedProtocol(), schedule, torch.CPU, new Recorder())
            .Run(new ScriptedModel(curve), Plan(), null, CancellationToken.None);

        // First attempt is cancelled during epoch 5; the second continues from the checkpoint of epoch 4.
        using var cancel = new CancellationTokenSource();
        var first = new Recorder();
        var firstModel = new ScriptedModel(curve, (epoch, token) =>
        {
            if (epoch != 5) return;
            cancel.Cancel();
            token.ThrowIfCancellationRequested();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(new ScriptedProtocol(), schedule, torch.CPU, first).Run(firstModel, Plan(), new RunCheckpoints(directory, null, null), cancel.Token));
        Assert.Equal(new[] { 1, 2, 3, 4 }, first.Epochs);

        var second = new Recorder();
        var resumedModel = new ScriptedModel(curve);
        var resumed = new Trainer(new ScriptedProtocol(), schedule, torch.CPU, second).Run(resumedModel, Plan(), first.Vouched(directory), CancellationToken.None);

        Assert.Equal(5, second.Epochs[0]);
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(uninterrupted.EpochsRun, resumed.EpochsRun);
        Assert.Equal(uninterrupted.Test.Means["recall@20"], resumed.Test.Means["recall@20"]);
    }

    [Fact]
    public void RejectsADivergedLoss()
    {
        var model = new NanModel();
        var trainer = new Trainer(new ScriptedProtocol(), new TrainingSchedule(3, 1, 0, "recall@20"), torch.CPU, new Recorder());
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(model, Plan(), null, CancellationToken.None));
        Assert.Contains("epoch 1", e.Message);
    }

    [Fact]
    public void CheckpointFileRefusesTruncatedFiles()
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), "x.ckpt");
        CheckpointFile.Write(path, TrainingState.Fresh with { Epoch = 3 }, new ScriptedModel(new[] { 0.0 }));
        Assert.Equal(3, CheckpointFile.ReadState(path).Epoch);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..5]);
        Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadState(path));
    }

    private sealed class NanModel : IRecommender
    {
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
        public EpochReport TrainEpoch(CancellationToken cancel) => new(double.NaN, 1);
        public torch.Tensor Score(ScoreRequest request) => throw new NotSupportedException();
        public void SaveCheckpoint(Stream stream) { }
        public void LoadCheckpoint(Stream stream) { }
        public void Dispose() { }
    }
}
