using CFBench.Contracts;

namespace CFBench.Core.Protocols;

/// <summary>Draws the sampled protocol's negative candidates on the host, with the seed: per user, distinct items that
/// are in none of the excluded matrices (training items, held-out items).</summary>
internal static class NegativeSampler
{
    /// <summary>
    /// <paramref name="count"/> distinct negatives for every row in <paramref name="users"/> (other rows stay empty);
    /// a user with fewer allowed items gets all of them.
    /// </summary>
    public static InteractionMatrix Draw(int rows, int items, IReadOnlyList<int> users, int count,
        IReadOnlyList<InteractionMatrix> excluded, SeededRandom random)
    {
        var pairRows = new List<int>(users.Count * count);
        var pairCols = new List<int>(users.Count * count);
        var chosen = new HashSet<int>();
        foreach (var u in users)
        {
            int blocked = 0;
            foreach (var m in excluded) blocked += m.RowLength(u);
            int allowed = items - blocked; // an upper bound on the true count when the matrices overlap
            chosen.Clear();
            if ((long)count * 2 <= allowed)
            {
                while (chosen.Count < count)
                {
                    int item = random.Next(items);
                    if (!IsExcluded(excluded, u, item)) chosen.Add(item);
                }
            }
            else
            {
                var pool = Enumerable.Range(0, items).Where(i => !IsExcluded(excluded, u, i)).ToArray();
                int take = Math.Min(count, pool.Length);
                random.ChooseToFront(pool, take);
                for (int i = 0; i < take; i++) chosen.Add(pool[i]);
            }
            foreach (var item in chosen)
            {
                pairRows.Add(u);
                pairCols.Add(item);
            }
        }
        return InteractionMatrix.FromPairs(rows, items, pairRows.ToArray(), pairCols.ToArray());
    }

    private static bool IsExcluded(IReadOnlyList<InteractionMatrix> excluded, int user, int item)
    {
        foreach (var m in excluded)
            if (m.Contains(user, item)) return true;
        return false;
    }
}
