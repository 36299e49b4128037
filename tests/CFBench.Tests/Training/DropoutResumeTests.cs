using CFBench.Contracts;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Training;
using CFBench.Tests.Protocols;
using TorchSharp;
using Xunit.Abstractions;

namespace CFBench.Tests.Training;

/// <summary>A model that uses dropout resumes exactly when its masks come from the run's seeded streams.</summary>
public class DropoutResumeTests(ITestOutputHelper output)
{
    private static readonly TrainingSchedule Schedule = new(6, 2, 0, "recall@20");

    /// <summary>Collects the losses; with <paramref name="killAfter"/>, cancels the run once that epoch is done and
    /// checkpointed (the trainer stops before the next epoch, as a killed process would).</summary>
    private sealed class Epochs(CancellationTokenSource? kill = null, int killAfter = 0) : ITrainingObserver
    {
        public List<double> Losses { get; } = new();
        public void OnEpoch(Core.Tracking.EpochRecord epoch) => Losses.Add(epoch.Loss);
        public Checkpoint? Last { get; private set; }
        public Checkpoint? Best { get; private set; }
        public void OnCheckpoint(Checkpoint checkpoint, bool isBest)
        {
            if (isBest) Best = checkpoint;
            else Last = checkpoint;
            if (checkpoint.Epoch == killAfter && !isBest) kill?.Cancel();
        }
        public void OnEvaluation(int epoch, EvaluationResult result, bool isBest) { }
    }

    /// <summary>Trains 6 epochs in one go, and in two attempts (killed after epoch 3, then a new model instance resumes
    /// from the checkpoint); returns both runs' losses and test metrics.</summary>
    private (Epochs Whole, RunOutcome WholeOutcome, Epochs Resumed, RunOutcome ResumedOutcome) TrainBothWays(bool globalDropout)
    {
        var data = ProtocolTestData.Random(users: 120, items: 60, seed: 4);
        var protocol = ProtocolFactory.Create(new ProtocolOptions { Name = "full-ranking", Selection = ModelSelection.Test });
        var plan = protocol.Plan(data, seed: 1);
        var context = new RunContext(torch.CPU, 11, _ => { });
        var parameters = new ModelParameters(new Dictionary<string, object>());

        var whole = new Epochs();
        RunOutcome wholeOutcome;
        using (var model = new DropoutMf(globalDropout))
        {
            model.Initialize(plan.Train, parameters, context);
            wholeOutcome = new Trainer(protocol, Schedule, torch.CPU, whole).Run(model, plan, new RunCheckpoints(RepoPaths.TempDirectory(), null, null), CancellationToken.None);
        }

        var directory = RepoPaths.TempDirectory();
        using var kill = new CancellationTokenSource();
        var killed = new Epochs(kill, killAfter: 3);
        using (var first = new DropoutMf(globalDropout))
        {
            first.Initialize(plan.Train, parameters, context);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new Trainer(protocol, Schedule, torch.CPU, killed).Run(first, plan, new RunCheckpoints(directory, null, null), kill.Token));
        }
        var resumed = new Epochs();
        resumed.Losses.AddRange(killed.Losses);
        RunOutcome resumedOutcome;
        using (var second = new DropoutMf(globalDropout))
        {
            second.Initialize(plan.Train, parameters, context);
            resumedOutcome = new Trainer(protocol, Schedule, torch.CPU, resumed)
                .Run(second, plan, new RunCheckpoints(directory, killed.Last, killed.Best), CancellationToken.None);
        }
        output.WriteLine($"dropout from {(globalDropout ? "the global generator" : "the run's stream")}:");
        output.WriteLine($"  uninterrupted: losses {string.Join(" ", whole.Losses.Select(l => l.ToString("F6")))}  test {Show(wholeOutcome)}");
        output.WriteLine($"  resumed at 3:  losses {string.Join(" ", resumed.Losses.Select(l => l.ToString("F6")))}  test {Show(resumedOutcome)}");
        return (whole, wholeOutcome, resumed, resumedOutcome);
    }

    private static string Show(RunOutcome o) => string.Join("  ", o.Test.Means.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value:R}"));

    [Fact]
    public void KilledAndResumedRunEqualsAnUninterruptedOne()
    {
        var (whole, wholeOutcome, resumed, resumedOutcome) = TrainBothWays(globalDropout: false);
        Assert.Equal(whole.Losses, resumed.Losses);
        Assert.Equal(wholeOutcome.Test.Means, resumedOutcome.Test.Means);
        Assert.Equal(wholeOutcome.Test.PerUser["recall@20"], resumedOutcome.Test.PerUser["recall@20"]);
    }

    [Fact]
    public void DropoutFromTheGlobalGeneratorWouldNotResumeExactly()
    {
        // The control: the same model drawing its masks from libtorch's global generator (not seeded by the run, not
        // in the checkpoint) diverges after the resume, which is what the test above guards against.
        var (whole, _, resumed, _) = TrainBothWays(globalDropout: true);
        Assert.Equal(whole.Losses.Count, resumed.Losses.Count);
        Assert.NotEqual(whole.Losses.Skip(3), resumed.Losses.Skip(3));
    }
}
