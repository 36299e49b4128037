using CFBench.Core.Protocols;
using CFBench.Core.Tracking;

namespace CFBench.Core.Training;

/// <summary>Hears what the trainer does: progress displays and the run recorder both listen.</summary>
public interface ITrainingObserver
{
    /// <summary>Before each epoch; <paramref name="firstEpoch"/> is above 1 when resuming.</summary>
    void OnEpochStarting(int epoch, int firstEpoch, int lastEpoch) { }

    void OnEpoch(EpochRecord epoch);

    void OnEvaluation(int epoch, EvaluationResult result, bool isBest);

    void OnCheckpoint(int epoch, string path, bool isBest) { }
}
