using CFBench.Contracts;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Protocols;

/// <summary>Small in-memory datasets for protocol tests.</summary>
public static class ProtocolTestData
{
    public static InteractionMatrix Matrix(int items, params int[][] rows) =>
        InteractionMatrix.FromPairs(rows.Length, items,
            rows.SelectMany((r, u) => r.Select(_ => u)).ToArray(), rows.SelectMany(r => r).ToArray());

    public static InteractionDataset Dataset(InteractionMatrix train, InteractionMatrix? test = null,
        InteractionMatrix? negatives = null, HeldOutUsers? validationUsers = null, HeldOutUsers? testUsers = null) => new()
    {
        Name = "tiny",
        Card = new DatasetCard { Name = "tiny", Format = "test" },
        FileChecksums = new Dictionary<string, string>(),
        Fingerprint = "tiny",
        Train = train,
        Test = test,
        TestNegatives = negatives,
        ValidationUsers = validationUsers,
        TestUsers = testUsers,
        Stats = new DatasetLoadStats(train.Rows, train.Columns, train.Count, test?.Count ?? 0),
    };

    /// <summary>A random dataset: every user has 2..12 training items and 0..3 test items outside them.</summary>
    public static InteractionDataset Random(int users, int items, int seed)
    {
        var random = new Random(seed);
        var train = new int[users][];
        var test = new int[users][];
        for (int u = 0; u < users; u++)
        {
            var shuffled = Enumerable.Range(0, items).OrderBy(_ => random.Next()).ToArray();
            int n = random.Next(2, 13), t = u % 5 == 4 ? 0 : random.Next(1, 4);
            train[u] = shuffled[..n];
            test[u] = shuffled[n..(n + t)];
        }
        return Dataset(Matrix(items, train), Matrix(items, test));
    }

    public static int[][] Rows(InteractionMatrix m) => Enumerable.Range(0, m.Rows).Select(r => m.Row(r).ToArray()).ToArray();
}
