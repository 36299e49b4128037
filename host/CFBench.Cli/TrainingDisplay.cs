using CFBench.Core.Protocols;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using Spectre.Console;

namespace CFBench.Cli;

/// <summary>
/// Shows a run's progress: on a terminal, a progress bar with epoch, loss and ETA; otherwise (CI, pipes) one
/// plain line per epoch and per evaluation.
/// </summary>
public sealed class TrainingDisplay : ITrainingObserver
{
    private readonly IAnsiConsole _console;
    private readonly ProgressTask? _task;
    private string _lastEvaluation = "";
    private double _lastLoss = double.NaN;

    public TrainingDisplay(IAnsiConsole console, ProgressTask? task)
    {
        _console = console;
        _task = task;
    }

    public void OnEpochStarting(int epoch, int firstEpoch, int lastEpoch)
    {
        if (_task is null) return;
        _task.MaxValue = lastEpoch;
        if (epoch == firstEpoch) _task.Value = firstEpoch - 1;
        _task.Description = Markup.Escape($"epoch {epoch}/{lastEpoch}  loss {_lastLoss:F4}  {_lastEvaluation}");
    }

    public void OnEpoch(EpochRecord epoch)
    {
        _lastLoss = epoch.Loss;
        if (_task is not null)
        {
            _task.Value = epoch.Epoch;
            return;
        }
        _console.WriteLine($"  epoch {epoch.Epoch,4}  loss {epoch.Loss:F5}  {epoch.Seconds,7:F2}s  {epoch.SamplesPerSecond,10:N0} samples/s");
    }

    public void OnCheckpointsRejected(string warning, int resumeEpoch) =>
        _console.MarkupLineInterpolated($"  [yellow]warning:[/] {warning}");

    public void OnEvaluation(int epoch, EvaluationResult result, bool isBest)
    {
        _lastEvaluation = string.Join("  ", result.Means.Select(m => $"{m.Key} {m.Value:F4}")) + (isBest ? " *" : "");
        if (_task is null)
            _console.WriteLine($"  eval  {epoch,4}  {result.Target}: {_lastEvaluation}  ({result.Seconds:F2}s)");
    }
}
