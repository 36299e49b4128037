using CFBench.Core.Datasets.Synthetic;

namespace CFBench.Tests.Datasets;

public class SyntheticDatasetTests
{
    [Fact]
    public void TheMatrixHasTheAskedSizeAndAStrongGeneralizationSplit()
    {
        var data = SyntheticDataset.Create(300, 200, 4000, seed: 5);
        var validation = data.ValidationUsers!;
        var test = data.TestUsers!;
        Assert.Equal((240, 200, 30, 30), (data.Train.Rows, data.Items, validation.Count, test.Count));
        Assert.Equal(4000, data.Train.Count + validation.FoldIn.Count + validation.HeldOut.Count + test.FoldIn.Count + test.HeldOut.Count);
        for (int u = 0; u < data.Train.Rows; u++) Assert.True(data.Train.RowLength(u) >= 5);
        for (int b = 0; b < test.Count; b++)
        {
            int n = test.FoldIn.RowLength(b) + test.HeldOut.RowLength(b);
            Assert.Equal(n / 5, test.HeldOut.RowLength(b));   // ⌊0.2·n⌋ held out, the rest fold-in
            foreach (var item in test.HeldOut.Row(b)) Assert.False(test.FoldIn.Contains(b, item));
        }
    }

    [Fact]
    public void TheSeedFixesTheMatrix()
    {
        var a = SyntheticDataset.Create(300, 200, 4000, seed: 5);
        var b = SyntheticDataset.Create(300, 200, 4000, seed: 5);
        var c = SyntheticDataset.Create(300, 200, 4000, seed: 6);
        Assert.Equal(a.Train.ColumnIndices.ToArray(), b.Train.ColumnIndices.ToArray());
        Assert.Equal(a.TestUsers!.HeldOut.ColumnIndices.ToArray(), b.TestUsers!.HeldOut.ColumnIndices.ToArray());
        Assert.NotEqual(a.Train.ColumnIndices.ToArray(), c.Train.ColumnIndices.ToArray());
    }

    [Fact]
    public void PopularityIsSkewed()
    {
        var data = SyntheticDataset.Create(2000, 400, 40000, seed: 1);
        var counts = data.Train.ColumnCounts().OrderDescending().ToArray();
        // r² item draws: the top tenth of the items holds about √0.1 ≈ 32% of the interactions, far above 10%.
        Assert.True(counts.Take(40).Sum() > 0.25 * counts.Sum(), $"top tenth holds {counts.Take(40).Sum()} of {counts.Sum()}");
    }

    [Theory]
    [InlineData("1000,200")]
    [InlineData("a,b,c")]
    [InlineData("100,200,10")]   // fewer than 5 items per user
    public void ABadSizeIsAOneLineError(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => SyntheticDataset.ParseSize(text));
        Assert.Contains("--synthetic", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void BenchTimesAnInductiveModelOnTheHeldOutUsersOfASyntheticMatrix()
    {
        var (exit, output) = CliProcess.Run(RepoPaths.Root, TimeSpan.FromMinutes(2),
            "bench", "--model", "MultVAE/Mult-DAE", "--synthetic", "600,300,6000", "--epochs", "1", "--warmup", "0", "--threads", "1");
        Assert.True(exit == 0, output);
        Assert.Contains("synthetic-600x300x6000 (480 users", output);
        Assert.Contains("users_evaluated=60 ", output);
    }
}
