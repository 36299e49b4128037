using CFBench.Core.Runs;
using CFBench.Core.Training;

namespace CFBench.Core.Tracking;

public enum RunStatus { Running, Finished, Failed, Interrupted }

/// <summary>One evaluation as stored: which target (validation/test), at which epoch, the mean of every metric column.</summary>
public sealed record EvaluationRecord(int Epoch, string Target, IReadOnlyDictionary<string, double> Means, double Seconds)
{
    /// <summary>When the store received it (null when the record did not come from a store).</summary>
    public DateTimeOffset? RecordedAt { get; init; }
}

/// <summary>
/// A run as read back from the store: what it was (spec), where it ran (provenance), how it went (epochs,
/// evaluations) and what it produced (final test means, per-user vectors). The read side of the tracking store;
/// reports and <c>cfbench runs</c> use only this.
/// </summary>
public sealed record RunRecord
{
    public required long Id { get; init; }
    public required string Key { get; init; }
    public required RunSpec Spec { get; init; }
    public RunProvenance? Provenance { get; init; }
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int? BestEpoch { get; init; }
    public int EpochsRun { get; init; }
    /// <summary>The best checkpoint (the model at <see cref="BestEpoch"/>).</summary>
    public string? CheckpointPath { get; init; }
    public string? CheckpointSha256 { get; init; }
    /// <summary>The newest checkpoint and the epoch it was written after: where a resumed run restarts.</summary>
    public string? LastCheckpointPath { get; init; }
    public int? LastCheckpointEpoch { get; init; }
    /// <summary>The weights the run exported for runs that start from it (<see cref="Contracts.IExportsWeights"/>).</summary>
    public string? WeightsPath { get; init; }
    public string? LastCheckpointSha256 { get; init; }

    /// <summary>The newest checkpoint the store recorded, as the trainer resumes from it.</summary>
    public Checkpoint? LastCheckpoint =>
        LastCheckpointPath is { } path && LastCheckpointEpoch is { } epoch ? new Checkpoint(path, epoch, LastCheckpointSha256 ?? "") : null;

    /// <summary>The best checkpoint the store recorded (the model at <see cref="BestEpoch"/>).</summary>
    public Checkpoint? BestCheckpoint =>
        CheckpointPath is { } path && BestEpoch is { } epoch ? new Checkpoint(path, epoch, CheckpointSha256 ?? "") : null;
    /// <summary>How many times the run was started (1 + resumes).</summary>
    public int Attempts { get; init; } = 1;
    /// <summary>The process that last ran it (host name, pid): what the liveness check looks at.</summary>
    public string? ProcessHost { get; init; }
    public long? ProcessId { get; init; }
    public IReadOnlyList<EpochRecord> Epochs { get; init; } = Array.Empty<EpochRecord>();
    public IReadOnlyList<EvaluationRecord> Evaluations { get; init; } = Array.Empty<EvaluationRecord>();
    /// <summary>Final test metric means (empty unless finished).</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; init; } = new Dictionary<string, double>();
    /// <summary>Final test per-user values per metric column, aligned with <see cref="TestUsers"/> (loaded on request).</summary>
    public IReadOnlyDictionary<string, float[]>? TestPerUser { get; init; }
    public int[]? TestUsers { get; init; }
}
