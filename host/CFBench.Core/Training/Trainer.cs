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
/// and grade it on the test target. With a checkpoint folder, the last completed epoch is saved every epoch, and
/// <see cref="Run"/> continues from it when one is there.
/// </summary>
public sealed class Trainer(IProtocol protocol, TrainingSchedule schedule, torch.Device device, ITrainingObserver observer)
{
    public const string LastCheckpoint = "last.ckpt";
    public const string BestCheckpoint = "best.ckpt";

    /// <param name="checkpointDirectory">Where last/best checkpoints go; null keeps the best one in memory only.</param>
    public RunOutcome Run(IRecommender model, EvaluationPlan plan, string? checkpointDirectory, CancellationToken cancel)
    {
        var state = TrainingState.Fresh;
        var lastPath = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, LastCheckpoint);
        var bestPath = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, BestCheckpoint);
        using var bestInMemory = new MemoryStream();
        if (lastPath is not null && File.Exists(lastPath))
            state = CheckpointFile.Restore(lastPath, model);

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
                    if (bestPath is not null)
                    {
                        CheckpointFile.Write(bestPath, state, model, () => observer.OnCheckpoint(epoch, bestPath, isBest: true));
                    }
                    else
                    {
                        bestInMemory.SetLength(0);
                        model.SaveCheckpoint(bestInMemory);
                    }
                }
            }
            if (lastPath is not null)
            {
                CheckpointFile.Write(lastPath, state, model, () => observer.OnCheckpoint(epoch, lastPath, isBest: false));
            }
        }

        if (state.HasBest && state.BestEpoch != epoch)
        {
            if (bestPath is not null) CheckpointFile.Restore(bestPath, model);
            else
            {
                bestInMemory.Position = 0;
                model.LoadCheckpoint(bestInMemory);
            }
        }
        var test = protocol.Evaluate(model, plan.Test, device, cancel);
        return new RunOutcome(state.HasBest ? state.BestEpoch : epoch, bestSelection, test, epoch, state.HasBest ? bestPath : lastPath);
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
