namespace CFBench.Core.Runs;

/// <summary>A run failed for a reason already told in one line (e.g. by its worker process): recorded as is.</summary>
public sealed class RunFailedException(string message) : Exception(message);
