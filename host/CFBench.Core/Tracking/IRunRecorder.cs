using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Training;

namespace CFBench.Core.Tracking;

/// <summary>Where a run's progress and results go while it trains. The SQLite store implements it; every call
/// is durable when it returns, so a crash loses at most the epoch in flight.</summary>
public interface IRunRecorder
{
    /// <summary>Registers the run (status running) and returns its id. Resuming an interrupted or failed run with
    /// the same key returns the existing id; <paramref name="fresh"/> (--rerun) always starts a new record.</summary>
    long Start(RunSpec spec, RunProvenance provenance, bool fresh = false);

    void RecordEpoch(long runId, EpochRecord epoch);

    void RecordEvaluation(long runId, int epoch, EvaluationResult result);

    /// <summary>Marks the run finished with its final test result, in one transaction.</summary>
    void Finish(long runId, RunOutcome outcome);

    void Fail(long runId, string error, bool interrupted);

    /// <summary>Records a checkpoint (path, epoch, SHA-256): the resume point, and also the best checkpoint when
    /// <paramref name="isBest"/>. From then on the store vouches for that file.</summary>
    void RecordCheckpoint(long runId, Checkpoint checkpoint, bool isBest);

    /// <summary>Drops what was recorded after <paramref name="epoch"/> (0: all), for a run that resumes from an earlier
    /// point than its last checkpoint.</summary>
    void Rewind(long runId, int epoch);

    /// <summary>The folder for the run's checkpoints: the store's own, one per run id, so no other store or run shares it.</summary>
    string CheckpointDirectory(long runId);

    /// <summary>Deletes the run's checkpoint files except its best one (what a finished run needs) and forgets the others.</summary>
    void PruneCheckpoints(long runId);

    /// <summary>The run with this key (spec key), with its epochs and evaluations, or null. A run whose process
    /// is gone reads as <see cref="RunStatus.Interrupted"/>.</summary>
    RunRecord? FindByKey(string key);
}

/// <summary>One training epoch as recorded.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double Seconds, double SamplesPerSecond, long PeakMemoryBytes)
{
    private static readonly IReadOnlyDictionary<string, double> NoExtra = new Dictionary<string, double>();

    /// <summary>When the store received it (null when the record did not come from a store).</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>The model's own figures of the epoch, by name (<see cref="Contracts.EpochReport.Extra"/>, e.g. Mult-VAE's
    /// KL weight <c>beta</c>); empty when it reported none.</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = NoExtra;

    // Value equality over the figures too (a record compares a dictionary by reference).
    public bool Equals(EpochRecord? other) =>
        other is not null && Epoch == other.Epoch && Loss.Equals(other.Loss) && Seconds.Equals(other.Seconds)
        && SamplesPerSecond.Equals(other.SamplesPerSecond) && PeakMemoryBytes == other.PeakMemoryBytes
        && RecordedAt == other.RecordedAt
        && Extra.Count == other.Extra.Count
        && Extra.All(f => other.Extra.TryGetValue(f.Key, out var v) && v.Equals(f.Value));

    public override int GetHashCode() => HashCode.Combine(Epoch, Loss, Seconds, SamplesPerSecond, PeakMemoryBytes, RecordedAt, Extra.Count);
}
