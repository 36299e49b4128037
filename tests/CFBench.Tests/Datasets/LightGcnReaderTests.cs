using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;

namespace CFBench.Tests.Datasets;

public class LightGcnReaderTests
{
    private static (string Train, string Test) Files(string train, string test)
    {
        var dir = RepoPaths.TempDirectory();
        return (DatasetFixtures.Write(dir, "train.txt", train), DatasetFixtures.Write(dir, "test.txt", test));
    }

    [Fact]
    public void ReadsUnsortedItemsAndSizesFromMaxIds()
    {
        var (train, test) = Files("0 3 1 2\n1 0\n2 4 1\n", "0 4\n1 2\n2 0\n");
        var parts = LightGcnReader.Read(train, test);
        Assert.Equal(3, parts.Train.Rows);
        Assert.Equal(5, parts.Train.Columns);
        Assert.Equal(new[] { 1, 2, 3 }, parts.Train.Row(0).ToArray());
        Assert.Equal(new[] { 1, 4 }, parts.Train.Row(2).ToArray());
        Assert.Equal(new[] { 0 }, parts.Test!.Row(2).ToArray());
        Assert.Equal(6, parts.Stats.TrainInteractions);
        Assert.Equal(3, parts.Stats.TestInteractions);
        Assert.Equal(0, parts.Stats.DuplicatesDropped);
    }

    [Fact]
    public void CountsDuplicatesUsersWithoutTestAndOverlap()
    {
        // User 1's test line holds only its id; user 3 appears only in train; user 0 has item 2 in both files;
        // user 2 repeats item 5 in train and item 1 in test.
        var (train, test) = Files("0 1 2\n1 3\n2 5 5 4\n3 0\n", "0 2 0\n1\n2 1 1\n");
        var parts = LightGcnReader.Read(train, test);
        Assert.Equal(4, parts.Stats.Users);
        Assert.Equal(6, parts.Stats.Items);
        Assert.Equal(2, parts.Stats.DuplicatesDropped);
        Assert.Equal(2, parts.Stats.UsersWithoutTest);
        Assert.Equal(1, parts.Stats.TrainTestOverlap);
        Assert.Equal(6, parts.Train.Count);
        Assert.Equal(3, parts.Test!.Count);
    }

    [Fact]
    public void ToleratesTrailingSpacesCrLfAndEmptyLines()
    {
        var (train, test) = Files("0 1 2 \r\n\r\n1 0\r\n", "0 0\n1 2");
        var parts = LightGcnReader.Read(train, test);
        Assert.Equal(new[] { 1, 2 }, parts.Train.Row(0).ToArray());
        Assert.Equal(new[] { 2 }, parts.Test!.Row(1).ToArray());
        Assert.Equal(1, parts.Stats.Notes!["empty lines skipped"]);
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        var (train, test) = Files("0 1 2\n1 3 x7\n", "0 1\n");
        var e = Assert.Throws<DatasetException>(() => LightGcnReader.Read(train, test));
        Assert.Equal($"{train}:2: item id 'x7' is not an integer", e.Message);
    }

    [Fact]
    public void NegativeIdIsAnError()
    {
        var (train, test) = Files("0 1\n", "0 1\n-1 2\n");
        var e = Assert.Throws<DatasetException>(() => LightGcnReader.Read(train, test));
        Assert.Equal($"{test}:2: user id -1 is negative", e.Message);
    }
}
