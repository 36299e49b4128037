using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Tests.Datasets;

namespace CFBench.Tests.Hardening;

/// <summary>Issue #15.5: ids that index arrays are bounded (by the card's statistics, else a sane limit) as each line
/// is read: one line of error naming file and line, never a huge allocation or an overflow.</summary>
public class IdBoundsTests
{
    private static string Folder(string train, string test)
    {
        var dir = RepoPaths.TempDirectory();
        DatasetFixtures.Write(dir, "train.txt", train);
        DatasetFixtures.Write(dir, "test.txt", test);
        return dir;
    }

    [Fact]
    public void AHugeItemIdIsAnErrorAtItsLine()
    {
        var dir = Folder("0 1 2\n1 2000000000\n", "0 0\n1 2\n");
        var e = Assert.Throws<DatasetException>(() => LightGcnReader.Read(Path.Combine(dir, "train.txt"), Path.Combine(dir, "test.txt")));
        Assert.Equal($"{Path.Combine(dir, "train.txt")}:2: item id 2000000000 is beyond CFBench's limit (33,554,432 items: ids 0..33554431)", e.Message);
    }

    [Fact]
    public void TheLargestIntUserIdDoesNotOverflow()
    {
        var dir = Folder("0 1 2\n", "2147483647 0\n");
        var e = Assert.Throws<DatasetException>(() => LightGcnReader.Read(Path.Combine(dir, "train.txt"), Path.Combine(dir, "test.txt")));
        Assert.StartsWith($"{Path.Combine(dir, "test.txt")}:1: user id 2147483647 is beyond", e.Message);
        var beyondLong = Folder("0 1 2\n", "0 99999999999999999999\n");
        Assert.Contains("is not an integer", Assert.Throws<DatasetException>(() =>
            LightGcnReader.Read(Path.Combine(beyondLong, "train.txt"), Path.Combine(beyondLong, "test.txt"))).Message);
    }

    [Fact]
    public void TheCardsStatisticsBoundTheIds()
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("tiny", "train.txt", "0 1 2\n1 0 3\n");
        layout.DataFile("tiny", "test.txt", "0 3\n1 2\n");
        var card = layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        var folder = Path.Combine(layout.Cards, "tiny", DatasetCards.FileName);
        DatasetCards.Write(folder, card with { Statistics = new DatasetStatistics(Users: 2, Items: 3) });
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load("tiny"));
        Assert.Equal($"{Path.Combine(layout.Data, "tiny", "train.txt")}:2: item id 3 is beyond the card's statistics (3 items: ids 0..2)", e.Message);

        DatasetCards.Write(folder, card with { Statistics = new DatasetStatistics(Users: 2, Items: 4) });
        Assert.Equal(4, layout.Registry().Load("tiny").Items);
    }

    [Fact]
    public void NcfFilesAreBoundedToo()
    {
        var dir = RepoPaths.TempDirectory();
        var train = DatasetFixtures.Write(dir, "x.train.rating", "0\t1\t5\t1\n2147483647\t0\t4\t2\n");
        var test = DatasetFixtures.Write(dir, "x.test.rating", "0\t2\t5\t3\n");
        var negative = DatasetFixtures.Write(dir, "x.test.negative", "(0,2)\t1\n");
        var e = Assert.Throws<DatasetException>(() => NcfReader.Read(train, test, negative));
        Assert.StartsWith($"{train}:2: user id 2147483647 is beyond", e.Message);
    }
}
