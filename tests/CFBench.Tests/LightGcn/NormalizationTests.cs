using CFBench.Sdk.Graph;

namespace CFBench.Tests.LightGcn;

public class NormalizationTests
{
    private static readonly double R2 = Math.Sqrt(2), R3 = Math.Sqrt(3), R6 = Math.Sqrt(6);

    // Entries of the tiny graph in CSR order (target → neighbour, node ids: users 0-2, items 3-4):
    // u0→i0 (deg 2→3), u0→i1 (2→1), u1→i0 (1→3), u2→i0 (1→3), i0→u0 (3→2), i0→u1 (3→1), i0→u2 (3→1), i1→u0 (1→2).
    public static TheoryData<string, double[]> HandComputed => new()
    {
        { "sym", new[] { 1 / R6, 1 / R2, 1 / R3, 1 / R3, 1 / R6, 1 / R3, 1 / R3, 1 / R2 } },
        { "L", new[] { 1 / R2, 1 / R2, 1, 1, 1 / R3, 1 / R3, 1 / R3, 1 } },
        { "R", new[] { 1 / R3, 1, 1 / R3, 1 / R3, 1 / R2, 1, 1, 1 / R2 } },
        { "L1", new[] { 1 / 6.0, 1 / 2.0, 1 / 3.0, 1 / 3.0, 1 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 2.0 } },
        { "L1-L", new[] { 1 / 2.0, 1 / 2.0, 1, 1, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 } },
        { "L1-R", new[] { 1 / 3.0, 1, 1 / 3.0, 1 / 3.0, 1 / 2.0, 1, 1, 1 / 2.0 } },
    };

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void CoefficientsEqualHandComputedValues(string norm, double[] expected)
    {
        var adjacency = NormalizedAdjacency.Build(LightGcnGraphs.Tiny(), NormalizationNames.Parse(norm));
        Assert.Equal(new long[] { 0, 2, 3, 4, 7, 8 }, adjacency.RowOffsets);
        Assert.Equal(new long[] { 3, 4, 3, 3, 0, 1, 2, 0 }, adjacency.Columns);
        for (int k = 0; k < expected.Length; k++)
            Assert.Equal(expected[k], adjacency.Weights[k], 6);
    }

    [Theory]
    [InlineData("sym")]
    [InlineData("L")]
    [InlineData("R")]
    [InlineData("L1")]
    [InlineData("L1-L")]
    [InlineData("L1-R")]
    public void TransposedWeightsAreTheMirroredEntries(string norm)
    {
        var adjacency = NormalizedAdjacency.Build(LightGcnGraphs.Random(), NormalizationNames.Parse(norm));
        using var dense = LightGcnGraphs.Dense(adjacency);
        using var transposed = LightGcnGraphs.Dense(adjacency, transposed: true);
        LightGcnGraphs.AssertClose(dense.t(), transposed, 0);
    }

    [Fact]
    public void UnknownNormalizationIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => NormalizationNames.Parse("L2"));
        Assert.Contains("L2", e.Message);
    }
}
