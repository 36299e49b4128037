using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CFBench.Core.Runs;

/// <summary>
/// Splits a suite's planned runs into shards by a stable hash of each run's group key, so every run lands in exactly
/// one shard whatever the order of the plan, in every process and on every node (string.GetHashCode is randomised
/// per process). Runs with the same group key share a shard.
/// </summary>
public static class ShardAssignment
{
    /// <summary>The key that decides a run's shard. Runs that depend on each other (NeuMF after its GMF and MLP runs)
    /// must share it: then it is the key of the chain's root run. Today every run stands alone.</summary>
    public static string GroupKey(PlannedRun run) => run.Spec.Key;

    /// <summary>The shard (1..<paramref name="count"/>) of a group key: the first 8 bytes of its SHA-256, modulo count.</summary>
    public static int ShardOf(string groupKey, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a suite has at least one shard");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(groupKey));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count) + 1;
    }

    /// <summary>Each run with its shard, in plan order.</summary>
    public static IReadOnlyList<(PlannedRun Run, int Shard)> Assign(IReadOnlyList<PlannedRun> runs, int count) =>
        runs.Select(run => (run, ShardOf(GroupKey(run), count))).ToList();

    /// <summary>The runs of one shard, in plan order.</summary>
    public static IReadOnlyList<PlannedRun> Select(IReadOnlyList<PlannedRun> runs, Shard shard) =>
        Assign(runs, shard.Count).Where(a => a.Shard == shard.Index).Select(a => a.Run).ToList();
}
