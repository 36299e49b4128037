using System.Diagnostics;
using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>
/// Plays one planned run end to end: skip it if the store has it finished, otherwise plan the protocol, create and
/// initialise the model, train (resuming from the newest checkpoint the store vouches for), grade on the test target
/// and record everything; a finished run keeps only its best checkpoint unless <paramref name="keepCheckpoints"/>. A model that throws fails its run (recorded with the error, naming the plugin); the
/// caller goes on with the next run. Cancellation marks the run interrupted and propagates.
/// </summary>
public sealed class RunExecutor(IRunRecorder recorder, string projectDirectory, bool keepCheckpoints = false)
{
    public RunResult Execute(PlannedRun run, InteractionDataset data, torch.Device device, bool rerun,
        ITrainingObserver display, Action<string> log, CancellationToken cancel)
    {
        var spec = run.Spec;
        var watch = Stopwatch.StartNew();
        var existing = recorder.FindByKey(spec.Key);
        if (existing is { Status: RunStatus.Finished } && !rerun)
            return new RunResult(run, RunResultKind.Skipped, existing.Id, existing.TestMetrics, existing.BestEpoch ?? 0, 0);

        var provenance = ProvenanceProbe.Collect(run.Model, data, device, projectDirectory);
        long runId = recorder.Start(spec, provenance, fresh: rerun);
        var resumable = recorder.FindByKey(spec.Key);
        var checkpoints = new RunCheckpoints(recorder.CheckpointDirectory(runId), resumable?.LastCheckpoint, resumable?.BestCheckpoint);
        try
        {
            var protocol = ProtocolFactory.Create(spec.Protocol);
            var plan = protocol.Plan(data, spec.Seed);
            using var model = run.Model.Provider.Create();
            model.Initialize(plan.Train, run.Parameters, new RunContext(device, spec.Seed, log));
            var trainer = new Trainer(protocol, spec.Schedule, device, new RecordingObserver(recorder, runId, display));
            var outcome = trainer.Run(model, plan, checkpoints, cancel);
            recorder.Finish(runId, outcome);
            if (!keepCheckpoints) recorder.PruneCheckpoints(runId);
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

    /// <summary>One line naming the model's plugin and what went wrong.</summary>
    private static string Describe(PlannedRun run, Exception e)
    {
        var inner = e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;
        var where = inner is TrainingDivergedException or DatasetException ? "" : $" (plugin {Path.GetFileName(run.Model.Source.AssemblyPath)})";
        var message = ErrorText.FirstLine(inner.Message);
        return $"{run.Spec.Label}{where}: {inner.GetType().Name}: {message}";
    }
}
