using CFBench.Core.Datasets;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>Trains and grades one planned run, telling <paramref name="observer"/> every epoch, evaluation and
/// checkpoint as they happen: in this process (<see cref="InProcessRunPlayer"/>, what a worker does) or in a
/// supervised worker process (<see cref="Worker.WorkerRunPlayer"/>, what <c>cfbench run</c> does).</summary>
public interface IRunPlayer
{
    /// <exception cref="RunFailedException">The run failed; the message is its one-line cause.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    RunOutcome Play(PlannedRun run, InteractionDataset data, torch.Device device, string checkpointDirectory,
        ITrainingObserver observer, Action<string> log, CancellationToken cancel);
}
