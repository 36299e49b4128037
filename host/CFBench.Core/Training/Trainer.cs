using System.Diagnostics;
using CFBench.Contracts;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using TorchSharp;

namespace CFBench.Core.Training;

/// <summary>
/// The epoch loop: train, evaluate the selection target every k epochs, keep the best epoch's checkpoint, stop
/// early after <see cref="TrainingSchedule.Patience"/> evaluations without improvement, restore the best epoch
/// and grade it on the test target. With a run's checkpoints, the last completed epoch is saved every epoch, and
/// <see cref="Run"/> continues from the newest checkpoint the run store vouches for: the last one, else the best one,
/// else epoch 1, saying so through <see cref="ITrainingObserver.OnCheckpointsRejected"/>. Files the store does not
/// vouch for are never restored.
/// </summary>
public sealed class Trainer(IProtocol protocol, TrainingSchedule schedule, torch.Device device, ITrainingObserver observer)
{
    public const string LastKind = "last";
    public const string BestKind = "best";

    /// <param name="checkpoints">The run's checkpoint folder and vouched checkpoints; null keeps the best one in memory only.</param>
    public RunOutcome Run(IRecommender model, EvaluationPlan plan, RunCheckpoints? checkpoints, CancellationToken cancel)
    {
        var state = TrainingState.Fresh;
        Checkpoint? last = null, best = null;
        using var bestInMemory = new MemoryStream();
        if (checkpoints is not null) (state, last, best) = Resume(model, checkpoints);

        var memory = new MemoryProbe(device);
        EvaluationResult? bestSelection = null;
        int firstEpoch = state.Epoch + 1;
        int epoch = state.Epoch;
        while (epoch < schedule.Epochs && !state.ShouldStop(schedule.Patience))
        {
            cancel.ThrowIfCancellationRequested();
            epoch++;
            observer.OnEpochStarting(epoch, firstEpoch, schedule.Epochs);
            memory.Reset();
            var watch = Stopwatch.StartNew();
            var report = model.TrainEpoch(cancel);
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
            var seconds = watch.Elapsed.TotalSeconds;
            if (double.IsNaN(report.Loss) || double.IsInfinity(report.Loss))
                throw new TrainingDivergedException($"epoch {epoch}: training loss is {report.Loss}");
            observer.OnEpoch(new EpochRecord(epoch, report.Loss, seconds, report.Samples / Math.Max(seconds, 1e-9), memory.Peak())
            {
                Extra = CheckedExtra(epoch, report.Extra),
            });
            state = state with { Epoch = epoch };

            if (epoch % schedule.EvaluateEvery == 0 || epoch == schedule.Epochs)
            {
                var result = protocol.Evaluate(model, plan.Selection, device, cancel);
                var value = result.Means.TryGetValue(schedule.SelectionMetric, out var v)
                    ? v
                    : throw new ArgumentException($"selection metric '{schedule.SelectionMetric}' is not one of {string.Join(", ", result.Means.Keys)}");
                state = state.AfterEvaluation(epoch, value);
                bool isBest = state.BestEpoch == epoch;
                observer.OnEvaluation(epoch, result, isBest);
                if (isBest)
                {
                    bestSelection = result;
                    if (checkpoints is not null)
                    {
                        best = Save(checkpoints.Directory, BestKind, state, model);
                    }
                    else
                    {
                        bestInMemory.SetLength(0);
                        model.SaveCheckpoint(bestInMemory);
                    }
                }
            }
            if (checkpoints is not null) last = Save(checkpoints.Directory, LastKind, state, model);
        }

        if (state.HasBest && state.BestEpoch != epoch)
        {
            if (best is not null) CheckpointFile.Restore(best.Path, model);
            else
            {
                bestInMemory.Position = 0;
                model.LoadCheckpoint(bestInMemory);
            }
        }
        var test = protocol.Evaluate(model, plan.Test, device, cancel);
        return new RunOutcome(state.HasBest ? state.BestEpoch : epoch, bestSelection, test, epoch, state.HasBest ? best?.Path : last?.Path);
    }

    /// <summary>Writes a checkpoint under a new name, lets the observer record it (from then on the store vouches for
    /// it), and only then deletes the one it replaces: a kill at any point leaves a vouched file in place.</summary>
    private Checkpoint Save(string directory, string kind, TrainingState state, IRecommender model)
    {
        var path = CheckpointFile.PathFor(directory, kind, state.Epoch);
        var checkpoint = new Checkpoint(path, state.Epoch, CheckpointFile.Write(path, state, model));
        observer.OnCheckpoint(checkpoint, isBest: kind == BestKind);
        CheckpointFile.DeleteOthers(directory, kind, path);
        return checkpoint;
    }

    /// <summary>
    /// Restores the newest usable vouched checkpoint: the last one, else the best one. A resume point whose state has
    /// a best epoch also needs that epoch's best checkpoint, for the final grading. When a vouched checkpoint is
    /// rejected the observer hears why and from which epoch the run continues (0: from the start).
    /// </summary>
    private (TrainingState State, Checkpoint? Last, Checkpoint? Best) Resume(IRecommender model, RunCheckpoints checkpoints)
    {
        var problems = new List<string>();
        var bestProblem = checkpoints.Best is { } vouchedBest ? CheckpointFile.Problem(vouchedBest) : null;
        foreach (var candidate in new[] { checkpoints.Last, checkpoints.Best }.OfType<Checkpoint>().DistinctBy(c => c.Path))
        {
            var problem = candidate == checkpoints.Best ? bestProblem : CheckpointFile.Problem(candidate);
            if (problem is not null)
            {
                if (!problems.Contains(problem)) problems.Add(problem);
                continue;
            }
            var header = CheckpointFile.ReadState(candidate.Path);
            Checkpoint? best = null;
            if (header.HasBest)
            {
                if (checkpoints.Best is { } b && b.Epoch == header.BestEpoch && bestProblem is null) best = b;
                else
                {
                    problems.Add($"checkpoint {candidate.Path} needs the best checkpoint of epoch {header.BestEpoch}, which is {(bestProblem is null ? "not recorded" : "unusable")}");
                    continue;
                }
            }
            var state = CheckpointFile.Restore(candidate.Path, model);
            if (problems.Count > 0)
                observer.OnCheckpointsRejected($"{string.Join("; ", problems)}: resuming after epoch {state.Epoch} from {candidate.Path}", state.Epoch);
            return (state, candidate == checkpoints.Last ? candidate : null, best);
        }
        if (problems.Count > 0)
            observer.OnCheckpointsRejected($"{string.Join("; ", problems)}: restarting the run from epoch 1", 0);
        return (TrainingState.Fresh, null, null);
    }

    /// <summary>A copy of the plugin's figures; a blank name or a value that is not a finite number fails the run
    /// (the store, the exports and the report curves take finite numbers only).</summary>
    private static IReadOnlyDictionary<string, double> CheckedExtra(int epoch, IReadOnlyDictionary<string, double>? extra)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        if (extra is null) return figures;
        foreach (var (name, value) in extra)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
                throw new InvalidDataException($"epoch {epoch}: EpochReport.Extra has a blank or unprintable figure name");
            if (!double.IsFinite(value))
                throw new InvalidDataException($"epoch {epoch}: EpochReport.Extra figure '{name}' is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; figures must be finite numbers");
            figures[name] = value;
        }
        return figures;
    }
}

/// <summary>The training loss became NaN or infinite.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
