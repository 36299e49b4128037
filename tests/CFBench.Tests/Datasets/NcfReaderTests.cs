using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;

namespace CFBench.Tests.Datasets;

public class NcfReaderTests
{
    private static (string Train, string Test, string Negative) Files(string train, string test, string negative, string trainName = "x.train.rating")
    {
        var dir = RepoPaths.TempDirectory();
        return (DatasetFixtures.Write(dir, trainName, train), DatasetFixtures.Write(dir, "x.test.rating", test),
            DatasetFixtures.Write(dir, "x.test.negative", negative));
    }

    [Fact]
    public void ReadsTrainTestAndNegativesKeepingTheHeldOutDuplicate()
    {
        var (train, test, negative) = Files(
            "0\t1\t5\t100\n0\t2\t4\t101\n1\t0\t3\t100\n1\t3\t0\t102\n0\t1\t5\t103\n",
            "0\t3\t5\t200\n1\t2\t4\t201\n",
            "(0,3)\t4\t5\t3\n(1,2)\t1\t4\t5\n");
        var parts = NcfReader.Read(train, test, negative);
        Assert.Equal(2, parts.Stats.Users);
        Assert.Equal(6, parts.Stats.Items);
        Assert.Equal(new[] { 1, 2 }, parts.Train.Row(0).ToArray());
        Assert.Equal(new[] { 0 }, parts.Train.Row(1).ToArray()); // the rating-0 line is skipped, as Dataset.py does
        Assert.Equal(1, parts.Stats.Notes!["training ratings of 0 skipped"]);
        Assert.Equal(1, parts.Stats.DuplicatesDropped);
        Assert.Equal(new[] { 3 }, parts.Test!.Row(0).ToArray());
        Assert.Equal(new[] { 3, 4, 5 }, parts.TestNegatives!.Row(0).ToArray()); // raw: held-out 3 stays among its negatives
        Assert.Equal(new[] { 1, 4, 5 }, parts.TestNegatives.Row(1).ToArray());
        Assert.Equal(1, parts.Stats.Notes["held-out item among its own negatives"]);
    }

    [Fact]
    public void ReadsPairsWithoutRatings()
    {
        var (train, test, negative) = Files("0\t1\n1\t0\n", "0\t2\t5\t1\n1\t2\t5\t1\n", "(0,2)\t0\n(1,2)\t1\n", "x.train.pairs");
        var parts = NcfReader.Read(train, test, negative);
        Assert.Equal(2, parts.Train.Count);
        Assert.Equal(0, parts.Stats.Notes!["held-out item among its own negatives"]);
    }

    [Fact]
    public void MalformedNegativeLineNamesFileAndLine()
    {
        var (train, test, negative) = Files("0\t1\n1\t0\n", "0\t2\t5\t1\n1\t2\t5\t1\n", "(0,2)\t0\n1,2\t1\n");
        var e = Assert.Throws<DatasetException>(() => NcfReader.Read(train, test, negative));
        Assert.Equal($"{negative}:2: expected (user,item) first, found '1,2'", e.Message);
    }

    [Fact]
    public void LineWithOneFieldIsAnError()
    {
        var (train, test, negative) = Files("0\t1\n7\n", "0\t2\t5\t1\n", "(0,2)\t0\n");
        var e = Assert.Throws<DatasetException>(() => NcfReader.Read(train, test, negative));
        Assert.Equal($"{train}:2: expected user<TAB>item", e.Message);
    }

    [Fact]
    public void NegativeFileMustMatchTheTestFileLineForLine()
    {
        var (train, test, negative) = Files("0\t1\n1\t0\n", "0\t2\t5\t1\n1\t2\t5\t1\n", "(0,2)\t0\n");
        var e = Assert.Throws<DatasetException>(() => NcfReader.Read(train, test, negative));
        Assert.Contains("1 lines of negatives for the 2 lines of x.test.rating", e.Message);
    }
}
