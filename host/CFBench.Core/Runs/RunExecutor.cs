using System.Diagnostics;
using CFBench.Core.Datasets;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>
/// Plays one planned run end to end: skip it if the store has it finished, otherwise have <paramref name="player"/>
/// plan the protocol, create and initialise the model, train (resuming from the run's last checkpoint when one
/// exists) and grade on the test target, and record everything. A model that throws (or, in a worker process,
/// exits or crashes) fails its run (recorded with the error, naming the plugin); the caller goes on with the next
/// run. Cancellation marks the run interrupted and propagates.
/// </summary>
public sealed class RunExecutor(IRunRecorder recorder, string checkpointRoot, string projectDirectory, IRunPlayer player)
{
    public string CheckpointDirectory(RunSpec spec) => Path.Combine(checkpointRoot, spec.Key);

    public RunResult Execute(PlannedRun run, InteractionDataset data, torch.Device device, bool rerun,
        ITrainingObserver display, Action<string> log, CancellationToken cancel)
    {
        var spec = run.Spec;
        var watch = Stopwatch.StartNew();
        var existing = recorder.FindByKey(spec.Key);
        if (existing is { Status: RunStatus.Finished } && !rerun)
            return new RunResult(run, RunResultKind.Skipped, existing.Id, existing.TestMetrics, existing.BestEpoch ?? 0, 0);

        var checkpoints = CheckpointDirectory(spec);
        if (rerun && Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);

        var provenance = ProvenanceProbe.Collect(run.Model, data, device, projectDirectory);
        long runId = recorder.Start(spec, provenance, fresh: rerun);
        try
        {
            var outcome = player.Play(run, data, device, checkpoints, new RecordingObserver(recorder, runId, display), log, cancel);
            recorder.Finish(runId, outcome);
            return new RunResult(run, RunResultKind.Finished, runId, outcome.Test.Means, outcome.BestEpoch, watch.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
            recorder.Fail(runId, "interrupted by the user", interrupted: true);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = Describe(run, e);
            recorder.Fail(runId, error, interrupted: false);
            return new RunResult(run, RunResultKind.Failed, runId, new Dictionary<string, double>(), 0, watch.Elapsed.TotalSeconds, error);
        }
    }

    /// <summary>One line naming the model's plugin and what went wrong (a static constructor's or a reflection
    /// call's own exception, not its wrapper).</summary>
    public static string Describe(PlannedRun run, Exception e)
    {
        if (e is RunFailedException) return e.Message;
        var inner = e;
        while (inner is System.Reflection.TargetInvocationException or TypeInitializationException && inner.InnerException is { } i) inner = i;
        var where = inner is TrainingDivergedException or DatasetException ? "" : $" (plugin {Path.GetFileName(run.Model.Source.AssemblyPath)})";
        var message = ErrorText.FirstLine(inner.Message);
        return $"{run.Spec.Label}{where}: {inner.GetType().Name}: {message}";
    }
}
