using CFBench.Contracts;

namespace CFBench.Core.Datasets.Synthetic;

/// <summary>
/// A seeded random binary user×item matrix of a given size, split by strong generalization, for timing models at
/// the scale of a dataset that is not at hand (<c>cfbench bench --synthetic 136677,20108,10000000</c>: ML-20M after
/// Mult-VAE's preprocessing). Popularity is skewed as in the PyTorch twin's synthetic matrix: users drawn as
/// ⌊r^1.5·users⌋, items as ⌊r²·items⌋ (r uniform) with the item ids permuted, every user with at least 5 items.
/// Of the users, <see cref="HeldOutUsers"/> are validation and as many test users (80/20 fold-in/held-out), the rest
/// train. The numbers are a workload, not data: nothing about a model's quality follows from them.
/// </summary>
public static class SyntheticDataset
{
    private const int MinItemsPerUser = 5;
    private const double TestFraction = 0.2;

    /// <summary>Held-out users of each kind (validation, test): 10,000 as ML-20M, at most a tenth of the users.</summary>
    public static int HeldOutUsers(int users) => Math.Min(10_000, users / 10);

    /// <summary>Parses <c>USERS,ITEMS,INTERACTIONS</c>; throws a one-line <see cref="ArgumentException"/> when it is not that.</summary>
    public static (int Users, int Items, long Interactions) ParseSize(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 3 && int.TryParse(parts[0], out var users) && int.TryParse(parts[1], out var items)
            && long.TryParse(parts[2], out var interactions))
        {
            if (users < 10 || items < MinItemsPerUser * 4)
                throw new ArgumentException($"--synthetic {text}: at least 10 users and {MinItemsPerUser * 4} items");
            if (interactions < (long)users * MinItemsPerUser || interactions > (long)users * items / 4)
                throw new ArgumentException($"--synthetic {text}: interactions must lie in [{MinItemsPerUser}·users, users·items/4]");
            return (users, items, interactions);
        }
        throw new ArgumentException($"--synthetic '{text}': expected USERS,ITEMS,INTERACTIONS (e.g. 136677,20108,10000000)");
    }

    public static InteractionDataset Create(int users, int items, long interactions, long seed)
    {
        var random = new SeededRandom(seed);
        var counts = ItemsPerUser(users, items, interactions, random);
        var itemIds = new int[items];
        for (int i = 0; i < items; i++) itemIds[i] = i;
        random.Shuffle(itemIds.AsSpan());   // popularity not tied to the id

        var offsets = new int[users + 1];
        for (int u = 0; u < users; u++) offsets[u + 1] = offsets[u] + counts[u];
        var columns = new int[offsets[users]];
        var seen = new HashSet<int>();
        for (int u = 0; u < users; u++)
        {
            seen.Clear();
            while (seen.Count < counts[u])
            {
                double r = NextDouble(random);
                seen.Add(itemIds[(int)(r * r * items)]);
            }
            var row = columns.AsSpan(offsets[u], counts[u]);
            seen.CopyTo(columns, offsets[u]);
            row.Sort();
        }
        var all = new InteractionMatrix(users, items, offsets, columns);

        int heldOut = HeldOutUsers(users);
        var order = new int[users];
        for (int u = 0; u < users; u++) order[u] = u;
        random.Shuffle(order.AsSpan());
        var train = all.SelectRows(order.AsSpan(0, users - 2 * heldOut));
        var validation = Split(all, order.AsSpan(users - 2 * heldOut, heldOut), random);
        var test = Split(all, order.AsSpan(users - heldOut, heldOut), random);

        var name = $"synthetic-{users}x{items}x{interactions}";
        return new InteractionDataset
        {
            Name = name,
            Card = new DatasetCard
            {
                Name = name,
                Format = "synthetic",
                Description = $"seeded random matrix (seed {seed}), {heldOut:N0} validation and {heldOut:N0} test users held out",
                Statistics = new DatasetStatistics(users, items, Interactions: all.Count),
            },
            FileChecksums = new Dictionary<string, string>(),
            Fingerprint = $"{name}-seed{seed}",
            Train = train,
            ValidationUsers = validation,
            TestUsers = test,
            Stats = new DatasetLoadStats(users, items, train.Count, test.HeldOut.Count),
        };
    }

    /// <summary>Items per user: 5 each, the rest handed out by ⌊r^1.5·users⌋ draws, at most a quarter of the items.</summary>
    private static int[] ItemsPerUser(int users, int items, long interactions, SeededRandom random)
    {
        var counts = new int[users];
        Array.Fill(counts, MinItemsPerUser);
        long left = interactions - (long)users * MinItemsPerUser;
        int cap = items / 4;
        while (left > 0)
        {
            int u = (int)(Math.Pow(NextDouble(random), 1.5) * users);
            if (counts[u] >= cap) continue;
            counts[u]++;
            left--;
        }
        return counts;
    }

    /// <summary>Each user's items: ⌊0.2·n⌋ drawn as held out, the rest fold-in (users with fewer than 5: all fold-in).</summary>
    private static HeldOutUsers Split(InteractionMatrix all, ReadOnlySpan<int> users, SeededRandom random)
    {
        var foldRows = new List<int>();
        var foldColumns = new List<int>();
        var heldRows = new List<int>();
        var heldColumns = new List<int>();
        for (int b = 0; b < users.Length; b++)
        {
            var row = all.Row(users[b]);
            var held = new bool[row.Length];
            if (row.Length >= MinItemsPerUser)
                foreach (var k in random.Choose(row.Length, (int)(TestFraction * row.Length))) held[k] = true;
            for (int k = 0; k < row.Length; k++)
            {
                (held[k] ? heldRows : foldRows).Add(b);
                (held[k] ? heldColumns : foldColumns).Add(row[k]);
            }
        }
        return new HeldOutUsers(
            InteractionMatrix.FromPairs(users.Length, all.Columns, foldRows.ToArray(), foldColumns.ToArray()),
            InteractionMatrix.FromPairs(users.Length, all.Columns, heldRows.ToArray(), heldColumns.ToArray()));
    }

    private static double NextDouble(SeededRandom random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
