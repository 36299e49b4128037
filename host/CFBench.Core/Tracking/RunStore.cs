using CFBench.Core.Protocols;
using CFBench.Core.Runs;

namespace CFBench.Core.Tracking;

// Placeholder: the tracking branch provides the SQLite implementation.
public sealed class RunStore : IRunRecorder, IDisposable
{
    public static RunStore Open(string path) => throw new NotImplementedException("RunStore");
    public RunRecord? FindByKey(string key) => throw new NotImplementedException();
    public long Start(RunSpec spec, RunProvenance provenance, bool fresh = false) => throw new NotImplementedException();
    public void RecordEpoch(long runId, EpochRecord epoch) => throw new NotImplementedException();
    public void RecordEvaluation(long runId, int epoch, EvaluationResult result) => throw new NotImplementedException();
    public void Finish(long runId, RunOutcome outcome) => throw new NotImplementedException();
    public void Fail(long runId, string error, bool interrupted) => throw new NotImplementedException();
    public void Dispose() { }
}
