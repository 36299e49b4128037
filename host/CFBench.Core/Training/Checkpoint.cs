namespace CFBench.Core.Training;

/// <summary>A checkpoint file as the run store records it: where it is, the epoch it was written after, and the
/// SHA-256 of its bytes. Only a file that still hashes to <see cref="Sha256"/> is restored.</summary>
public sealed record Checkpoint(string Path, int Epoch, string Sha256);

/// <summary>
/// A run's checkpoint folder (owned by the run store, one per run) and the checkpoints the store vouches for:
/// the newest one (where a resumed run continues) and the best one (the model at the best epoch so far).
/// </summary>
public sealed record RunCheckpoints(string Directory, Checkpoint? Last, Checkpoint? Best);
