using CFBench.Contracts;

namespace CFBench.Tests;

public class InteractionMatrixTests
{
    [Fact]
    public void FromPairsSortsAndDropsDuplicates()
    {
        var m = InteractionMatrix.FromPairs(3, 5, new[] { 2, 0, 0, 2, 0 }, new[] { 1, 4, 2, 1, 3 });
        Assert.Equal(new[] { 2, 3, 4 }, m.Row(0).ToArray());
        Assert.Empty(m.Row(1).ToArray());
        Assert.Equal(new[] { 1 }, m.Row(2).ToArray());
        Assert.Equal(4, m.Count);
    }

    [Fact]
    public void TransposeSwapsRowsAndColumns()
    {
        var m = InteractionMatrix.FromPairs(2, 3, new[] { 0, 0, 1 }, new[] { 0, 2, 2 });
        var t = m.Transpose();
        Assert.Equal(3, t.Rows);
        Assert.Equal(new[] { 0 }, t.Row(0).ToArray());
        Assert.Equal(new[] { 0, 1 }, t.Row(2).ToArray());
    }

    [Fact]
    public void RejectsOutOfRangeColumns()
    {
        var e = Assert.Throws<ArgumentException>(() => new InteractionMatrix(1, 2, new[] { 0, 1 }, new[] { 5 }));
        Assert.Contains("out of range", e.Message);
    }
}
