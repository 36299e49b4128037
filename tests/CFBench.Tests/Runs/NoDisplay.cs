using CFBench.Core.Protocols;
using CFBench.Core.Tracking;
using CFBench.Core.Training;

namespace CFBench.Tests.Runs;

/// <summary>A training observer that shows nothing, for tests that play runs through <c>RunExecutor</c>.</summary>
internal sealed class NoDisplay : ITrainingObserver
{
    public void OnEpoch(EpochRecord epoch) { }
    public void OnEvaluation(int epoch, EvaluationResult result, bool isBest) { }
}
