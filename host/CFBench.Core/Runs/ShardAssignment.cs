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
    /// <summary>The key that decides each run's shard. Runs linked by dependencies (NeuMF after its GMF and MLP runs)
    /// share it, so a chain never spans two shards: it is the smallest run key of the linked runs of the plan.</summary>
    public static IReadOnlyDictionary<PlannedRun, string> GroupKeys(IReadOnlyList<PlannedRun> runs)
    {
        var parent = runs.Select(r => r.Spec.Key).Distinct().ToDictionary(k => k, k => k);
        string Root(string key)
        {
            while (parent[key] != key) key = parent[key] = parent[parent[key]];
            return key;
        }
        foreach (var run in runs)
            foreach (var upstream in run.Spec.Upstream.Values.Where(parent.ContainsKey))
            {
                var (a, b) = (Root(run.Spec.Key), Root(upstream));
                if (a != b) parent[string.CompareOrdinal(a, b) < 0 ? b : a] = string.CompareOrdinal(a, b) < 0 ? a : b;
            }
        return runs.ToDictionary(r => r, r => Root(r.Spec.Key));
    }

    /// <summary>The shard (1..<paramref name="count"/>) of a group key: the first 8 bytes of its SHA-256, modulo count.</summary>
    public static int ShardOf(string groupKey, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a suite has at least one shard");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(groupKey));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count) + 1;
    }

    /// <summary>Each run with its shard, in plan order.</summary>
    public static IReadOnlyList<(PlannedRun Run, int Shard)> Assign(IReadOnlyList<PlannedRun> runs, int count)
    {
        var groups = GroupKeys(runs);
        return runs.Select(run => (run, ShardOf(groups[run], count))).ToList();
    }

    /// <summary>The runs of one shard, in plan order.</summary>
    public static IReadOnlyList<PlannedRun> Select(IReadOnlyList<PlannedRun> runs, Shard shard) =>
        Assign(runs, shard.Count).Where(a => a.Shard == shard.Index).Select(a => a.Run).ToList();
}
