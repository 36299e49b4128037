using System.Diagnostics;
using CFBench.Core.Datasets;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>
/// Plays one planned run end to end: skip it if the store has it finished, otherwise have <paramref name="player"/>
/// plan the protocol, create and initialise the model (with the exported weights of the runs it starts from), train
/// (resuming from the newest checkpoint the store vouches for), grade on the test target and export the model's
/// weights when it offers them, and record everything; a finished run keeps only its best checkpoint unless
/// <paramref name="keepCheckpoints"/>. A model that throws (or, in a worker process, exits or crashes) fails its run
/// (recorded with the error, naming the plugin); the caller goes on with the next run. After a failure that may not be
/// the run's own (<see cref="ResumableFailure"/>), once the failed attempt has recorded a newer checkpoint than it started
/// from, the run resumes from it, up to <paramref name="retries"/> times; the store counts the attempts. Cancellation
/// marks the run interrupted and propagates.
/// </summary>
public sealed class RunExecutor(IRunRecorder recorder, string projectDirectory, IRunPlayer player, bool keepCheckpoints = false,
    int retries = RunExecutor.DefaultRetries)
{
    /// <summary>How many times a run resumes by itself after a failure that may not be its own.</summary>
    public const int DefaultRetries = 3;

    public RunResult Execute(PlannedRun run, InteractionDataset data, torch.Device device, bool rerun,
        ITrainingObserver display, Action<string> log, CancellationToken cancel)
    {
        var spec = run.Spec;
        var watch = Stopwatch.StartNew();
        var existing = recorder.FindByKey(spec.Key);
        if (existing is { Status: RunStatus.Finished } && !rerun)
            return new RunResult(run, RunResultKind.Skipped, existing.Id, existing.TestMetrics, existing.BestEpoch ?? 0, 0);

        if (MissingUpstream(spec) is { } missing)
            return new RunResult(run, RunResultKind.Failed, null, new Dictionary<string, double>(), 0, 0, $"{spec.Label}: {missing}");

        var provenance = ProvenanceProbe.Collect(run.Model, data, device, projectDirectory);
        if (existing is { LastCheckpointEpoch: > 0, Provenance: { } before } && before.PluginSha256 != provenance.PluginSha256 && !rerun)
            log($"warning: the plugin changed since run {existing.Id} was checkpointed (sha256 {before.PluginSha256[..Math.Min(12, before.PluginSha256.Length)]} → " +
                $"{provenance.PluginSha256[..Math.Min(12, provenance.PluginSha256.Length)]}): it starts again from epoch 1");
        bool fresh = rerun;
        for (int resumes = 0; ; resumes++)
        {
            long runId = recorder.Start(spec, provenance, fresh);
            fresh = false;
            var resumable = recorder.FindByKey(spec.Key);
            int startEpoch = resumable?.LastCheckpointEpoch ?? 0;
            var checkpoints = new RunCheckpoints(recorder.CheckpointDirectory(runId), resumable?.LastCheckpoint, resumable?.BestCheckpoint);
            try
            {
                var upstream = spec.Upstream.ToDictionary(u => u.Key, u => recorder.FindByKey(u.Value)!.WeightsPath!);
                var outcome = player.Play(run, data, device, new RunInputs(checkpoints, upstream),
                    new RecordingObserver(recorder, runId, display), log, cancel);
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
                int reached = recorder.FindByKey(spec.Key)?.LastCheckpointEpoch ?? 0;
                if (resumes < retries && reached > startEpoch && ResumableFailure.Is(e))
                {
                    log($"attempt {resumes + 1} failed: {error}");
                    log($"resuming from the checkpoint of epoch {reached} in a new process (automatic resume {resumes + 1} of at most {retries}; see --retries)");
                    continue;
                }
                return new RunResult(run, RunResultKind.Failed, runId, new Dictionary<string, double>(), 0, watch.Elapsed.TotalSeconds, error);
            }
        }
    }

    /// <summary>Why the runs this one starts from cannot be used yet (null when they can).</summary>
    private string? MissingUpstream(RunSpec spec)
    {
        foreach (var (role, key) in spec.Upstream)
        {
            var upstream = recorder.FindByKey(key);
            if (upstream is not { Status: RunStatus.Finished })
                return $"it starts from the '{role}' run (key {key}), which has {(upstream is null ? "not run" : $"not finished (run {upstream.Id} is {upstream.Status.ToString().ToLowerInvariant()})")}";
            if (upstream.WeightsPath is null)
                return $"its '{role}' run {upstream.Id} ({upstream.Spec.Label}) exported no weights";
        }
        return null;
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
