namespace CFBench.Core.Runs;

/// <summary>A run failed for a reason already told in one line (e.g. by its worker process): recorded as is.</summary>
public sealed class RunFailedException(string message) : Exception(message)
{
    /// <summary>The failure may not be the run's own (see <see cref="ResumableFailure"/>): the run may go on from its
    /// last checkpoint.</summary>
    public bool Resumable { get; init; }
}
