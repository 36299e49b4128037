namespace CFBench.Core.Runs;

public enum RunResultKind { Finished, Skipped, Failed, Interrupted }

/// <summary>What happened to one planned run in this invocation.</summary>
public sealed record RunResult(
    PlannedRun Run,
    RunResultKind Kind,
    long? RunId,
    IReadOnlyDictionary<string, double> TestMetrics,
    int BestEpoch,
    double Seconds,
    string? Error = null);
