using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Tests.Training;

/// <summary>The trainer carries a plugin's <see cref="EpochReport.Extra"/> figures into every epoch record.</summary>
public class EpochExtraTrainerTests
{
    /// <summary>Reports the figures <paramref name="extra"/> gives for each epoch.</summary>
    private sealed class FigureModel(Func<int, IReadOnlyDictionary<string, double>?> extra) : IRecommender
    {
        private int _epoch;
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
        public EpochReport TrainEpoch(CancellationToken cancel) => new(0.5, 10, extra(++_epoch));
        public torch.Tensor Score(ScoreRequest request) => throw new NotSupportedException();
        public void SaveCheckpoint(Stream stream) { }
        public void LoadCheckpoint(Stream stream) { }
        public void Dispose() { }
    }

    private sealed class ConstantProtocol : IProtocol
    {
        public ProtocolOptions Options { get; } = new();
        public bool ScoresHeldOutUsers => false;
        public EvaluationPlan Plan(InteractionDataset data, long seed) => throw new NotSupportedException();
        public EvaluationResult Evaluate(IRecommender model, EvaluationTarget target, torch.Device device, CancellationToken cancel = default) =>
            new(target.Name, new Dictionary<string, double> { ["recall@20"] = 0.1 }, new Dictionary<string, float[]>(), Array.Empty<int>(), 0);
    }

    private sealed class Recorder : ITrainingObserver
    {
        public List<EpochRecord> Epochs { get; } = new();
        public void OnEpoch(EpochRecord epoch) => Epochs.Add(epoch);
        public void OnEvaluation(int epoch, EvaluationResult result, bool isBest) { }
    }

    private static List<EpochRecord> Train(Func<int, IReadOnlyDictionary<string, double>?> extra)
    {
        var empty = InteractionMatrix.FromPairs(1, 1, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty);
        var target = new EvaluationTarget("validation", new[] { 0 }, empty, empty);
        var plan = new EvaluationPlan(new TrainingSet("t", empty), target, target with { Name = "test" });
        var recorder = new Recorder();
        new Trainer(new ConstantProtocol(), new TrainingSchedule(3, 3, 0, "recall@20"), torch.CPU, recorder)
            .Run(new FigureModel(extra), plan, null, CancellationToken.None);
        return recorder.Epochs;
    }

    [Fact]
    public void EachEpochRecordHoldsThatEpochsFigures()
    {
        var epochs = Train(e => e == 2 ? null : new Dictionary<string, double> { ["beta"] = e / 10.0, ["negative_collisions"] = e });
        Assert.Equal(new[] { 0.1, 0.3 }, new[] { epochs[0], epochs[2] }.Select(e => e.Extra["beta"]));
        Assert.Equal(3.0, epochs[2].Extra["negative_collisions"]);
        Assert.Empty(epochs[1].Extra); // no figures that epoch
    }

    [Theory]
    [InlineData("beta", double.NaN, "figure 'beta' is NaN")]
    [InlineData("beta", double.PositiveInfinity, "figure 'beta' is Infinity")]
    [InlineData(" ", 1.0, "blank or unprintable figure name")]
    public void AFigureTheStoreCannotHoldFailsTheRunInOneLine(string name, double value, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Train(epoch => new Dictionary<string, double> { [name] = value }));
        Assert.Contains("epoch 1: EpochReport.Extra", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
