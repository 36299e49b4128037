using CFBench.Core.Datasets;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>What a run starts from besides its plan: the checkpoints the store vouches for, and the weights files the
/// runs it depends on exported (role → path).</summary>
public sealed record RunInputs(RunCheckpoints Checkpoints, IReadOnlyDictionary<string, string> UpstreamWeights);

/// <summary>Trains and grades one planned run, telling <paramref name="observer"/> every epoch, evaluation and
/// checkpoint as they happen: in this process (<see cref="InProcessRunPlayer"/>, what a worker does) or in a
/// supervised worker process (<see cref="Worker.WorkerRunPlayer"/>, what <c>cfbench run</c> does).</summary>
public interface IRunPlayer
{
    /// <exception cref="RunFailedException">The run failed; the message is its one-line cause.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    RunOutcome Play(PlannedRun run, InteractionDataset data, torch.Device device, RunInputs inputs,
        ITrainingObserver observer, Action<string> log, CancellationToken cancel);
}
