using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Subsets;

namespace CFBench.Tests.Datasets;

public class SubsetAndRandomTests
{
    [Fact]
    public void SeededRandomIsDeterministicAndChoosesDistinctIndices()
    {
        var a = new SeededRandom(42).Choose(1000, 100);
        Assert.Equal(a, new SeededRandom(42).Choose(1000, 100));
        Assert.NotEqual(a, new SeededRandom(43).Choose(1000, 100));
        Assert.Equal(100, a.Distinct().Count());
        Assert.All(a, i => Assert.InRange(i, 0, 999));
        var counts = new int[4];
        var rng = new SeededRandom(1);
        for (int n = 0; n < 40_000; n++) counts[rng.NextInt(4)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void SubsetFiltersItemsReindexesAndDropsEmptyUsers()
    {
        // 6 users; item 5 is rated by everyone, item 0 by users 0-2, the others by one user each.
        var train = InteractionMatrix.FromPairs(6, 8,
            new[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 5 },
            new[] { 0, 5, 0, 5, 0, 5, 1, 5, 5, 5, 7 });
        var test = InteractionMatrix.FromPairs(6, 8,
            new[] { 0, 1, 2, 3, 4, 5 },
            new[] { 5, 0, 3, 0, 6, 0 });
        var subset = LightGcnSubset.Make(train, test, new SubsetOptions(Users: 6, MinItemCount: 3, Seed: 1));
        // kept items: 0 and 5 -> 0, 1. User 2's test item 3 and user 4's test item 6 are dropped, so those users go.
        Assert.Equal(new[] { 0, 5 }, subset.SourceItems);
        Assert.Equal(new[] { 0, 1, 3, 5 }, subset.SourceUsers);
        Assert.Equal(new[] { 1 }, subset.Test.Row(0).ToArray());
        Assert.Equal(new[] { 1 }, subset.Train.Row(2).ToArray());
        Assert.Equal(2, subset.Counts["users dropped: no test item left"]);

        var dir = RepoPaths.TempDirectory();
        LightGcnSubset.Write(subset, dir);
        var back = LightGcnReader.Read(Path.Combine(dir, "train.txt"), Path.Combine(dir, "test.txt"));
        RawLogReaderTests.AssertSame(subset.Train, back.Train);
        RawLogReaderTests.AssertSame(subset.Test, back.Test!);
    }

    [Fact]
    public void SubsetDrawIsSeeded()
    {
        var rows = Enumerable.Range(0, 200).SelectMany(u => new[] { u, u }).ToArray();
        var cols = Enumerable.Range(0, 200).SelectMany(u => new[] { u % 5, 5 + u % 3 }).ToArray();
        var train = InteractionMatrix.FromPairs(200, 8, rows, cols);
        var test = InteractionMatrix.FromPairs(200, 8, Enumerable.Range(0, 200).ToArray(), Enumerable.Range(0, 200).Select(u => (u + 1) % 5).ToArray());
        var a = LightGcnSubset.Make(train, test, new SubsetOptions(50, 1, 9));
        Assert.Equal(a.SourceUsers, LightGcnSubset.Make(train, test, new SubsetOptions(50, 1, 9)).SourceUsers);
        Assert.NotEqual(a.SourceUsers, LightGcnSubset.Make(train, test, new SubsetOptions(50, 1, 10)).SourceUsers);
        Assert.Throws<DatasetException>(() => LightGcnSubset.Make(train, test, new SubsetOptions(201, 1, 9)));
    }
}
