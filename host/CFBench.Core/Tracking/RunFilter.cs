namespace CFBench.Core.Tracking;

/// <summary>Which runs a query returns; null fields match everything. <see cref="Statuses"/> sees the status after
/// the liveness check (a dead <c>running</c> run is <see cref="RunStatus.Interrupted"/>).</summary>
public sealed record RunFilter
{
    public string? Suite { get; init; }
    public string? Model { get; init; }
    public string? Dataset { get; init; }
    public IReadOnlyCollection<RunStatus>? Statuses { get; init; }

    public static RunFilter All { get; } = new();
}

/// <summary>How much of each run a query loads besides the summary (spec, provenance, status, final test means).</summary>
[Flags]
public enum RunDetail
{
    Summary = 0,
    /// <summary>Per-epoch records and every evaluation.</summary>
    History = 1,
    /// <summary>The final test's per-user vectors.</summary>
    PerUser = 2,
    All = History | PerUser,
}
