using CFBench.Core.Protocols;
using CFBench.Core.Tracking;
using CFBench.Core.Training;

namespace CFBench.Core.Runs;

/// <summary>Forwards the trainer's events to the run store and to a display.</summary>
internal sealed class RecordingObserver(IRunRecorder recorder, long runId, ITrainingObserver display) : ITrainingObserver
{
    public void OnEpochStarting(int epoch, int firstEpoch, int lastEpoch) => display.OnEpochStarting(epoch, firstEpoch, lastEpoch);

    public void OnEpoch(EpochRecord epoch)
    {
        recorder.RecordEpoch(runId, epoch);
        display.OnEpoch(epoch);
    }

    public void OnEvaluation(int epoch, EvaluationResult result, bool isBest)
    {
        recorder.RecordEvaluation(runId, epoch, result);
        display.OnEvaluation(epoch, result, isBest);
    }

    public void OnCheckpoint(Checkpoint checkpoint, bool isBest)
    {
        recorder.RecordCheckpoint(runId, checkpoint, isBest);
        display.OnCheckpoint(checkpoint, isBest);
    }

    public void OnCheckpointsRejected(string warning, int resumeEpoch)
    {
        recorder.Rewind(runId, resumeEpoch);
        display.OnCheckpointsRejected(warning, resumeEpoch);
    }
}
