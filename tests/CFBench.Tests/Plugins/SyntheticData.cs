using CFBench.Contracts;
using TorchSharp;

namespace CFBench.Tests.Plugins;

/// <summary>Small seeded user×item data with a popularity skew, for plugin tests.</summary>
internal static class SyntheticData
{
    public static TrainingSet Create(int users = 200, int items = 100, int minItems = 5, int maxItems = 15, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < users; u++)
        {
            int count = random.Next(minItems, maxItems + 1);
            for (int k = 0; k < count; k++)
            {
                rows.Add(u);
                // Squaring a uniform draw favours low item ids: a clear popularity order.
                var x = random.NextDouble();
                columns.Add((int)(x * x * items));
            }
        }
        return new TrainingSet("synthetic", InteractionMatrix.FromPairs(users, items, rows.ToArray(), columns.ToArray()));
    }

    public static RunContext Cpu(long seed) => new(torch.CPU, seed, _ => { });
}
