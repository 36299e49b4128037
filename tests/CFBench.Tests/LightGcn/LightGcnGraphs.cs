using CFBench.Contracts;
using CFBench.Sdk.Graph;
using static TorchSharp.torch;

namespace CFBench.Tests.LightGcn;

/// <summary>Small graphs and a dense reference of the propagation matrix, for the LightGCN tests.</summary>
internal static class LightGcnGraphs
{
    /// <summary>3 users, 2 items: u0–i0, u0–i1, u1–i0, u2–i0 (degrees u 2,1,1; i 3,1).</summary>
    public static TrainingSet Tiny() => new("tiny", InteractionMatrix.FromPairs(3, 2, new[] { 0, 0, 1, 2 }, new[] { 0, 1, 0, 0 }));

    /// <summary>A seeded random graph; user 0 and item 0 have no interactions (isolated nodes), the last item
    /// (the highest node id) has some.</summary>
    public static TrainingSet Random(int users = 40, int items = 30, int edges = 200, int seed = 3)
    {
        var random = new Random(seed);
        var rows = new int[edges];
        var cols = new int[edges];
        for (int k = 0; k < edges; k++)
        {
            rows[k] = 1 + (k < users - 1 ? k : random.Next(users - 1));
            cols[k] = 1 + (k < items - 1 ? k : random.Next(items - 1));
        }
        return new TrainingSet("random", InteractionMatrix.FromPairs(users, items, rows, cols));
    }

    /// <summary>The propagation matrix as a dense [nodes, nodes] float64 tensor (row = target).</summary>
    public static Tensor Dense(NormalizedAdjacency adjacency, bool transposed = false)
    {
        var dense = new double[adjacency.Nodes * adjacency.Nodes];
        var weights = transposed ? adjacency.TransposedWeights : adjacency.Weights;
        for (int t = 0; t < adjacency.Nodes; t++)
            for (long k = adjacency.RowOffsets[t]; k < adjacency.RowOffsets[t + 1]; k++)
                dense[t * adjacency.Nodes + adjacency.Columns[k]] = weights[k];
        return tensor(dense, new long[] { adjacency.Nodes, adjacency.Nodes });
    }

    public static RunContext Cpu(long seed) => new(CPU, seed, _ => { });

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.to(float64) - actual.to(float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"max |difference| {difference} > {tolerance}");
    }
}
