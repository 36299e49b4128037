using CFBench.Sdk.Graph;
using CFBench.Tests.Plugins;

namespace CFBench.Tests.Sdk;

/// <summary>NGCF's default adjacency D⁻¹(A+I): every row holds its node and sums to 1.</summary>
public class SelfLoopAdjacencyTests
{
    [Fact]
    public void RowNormalizedWithSelfLoopsSumsToOneAndKeepsColumnsSorted()
    {
        var train = SyntheticData.Create(users: 30, items: 20);
        var a = NormalizedAdjacency.Build(train, Normalization.L1L, selfLoops: true);
        Assert.Equal(2L * train.Interactions + a.Nodes, a.Entries);
        for (int t = 0; t < a.Nodes; t++)
        {
            long start = a.RowOffsets[t], end = a.RowOffsets[t + 1];
            var columns = a.Columns[(int)start..(int)end];
            Assert.Contains((long)t, columns);
            Assert.Equal(columns.Order(), columns);
            Assert.Equal(1.0, a.Weights[(int)start..(int)end].Sum(w => (double)w), 5);
        }
    }

    [Fact]
    public void WithoutSelfLoopsTheGraphIsLightGcns()
    {
        var train = SyntheticData.Create(users: 30, items: 20);
        var a = NormalizedAdjacency.Build(train, Normalization.Sym);
        Assert.Equal(2L * train.Interactions, a.Entries);
        for (int t = 0; t < a.Nodes; t++)
            Assert.DoesNotContain((long)t, a.Columns[(int)a.RowOffsets[t]..(int)a.RowOffsets[t + 1]]);
    }
}
