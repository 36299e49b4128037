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

    /// <summary>A checkpoint is on disk; the run's resume point, and its best checkpoint when <paramref name="isBest"/>.</summary>
    void OnCheckpoint(Checkpoint checkpoint, bool isBest) { }

    /// <summary>A vouched checkpoint could not be restored (<paramref name="warning"/> says which and why); the run
    /// continues after <paramref name="resumeEpoch"/> (0: from the start), and what was recorded after it is void.</summary>
    void OnCheckpointsRejected(string warning, int resumeEpoch) { }
}
