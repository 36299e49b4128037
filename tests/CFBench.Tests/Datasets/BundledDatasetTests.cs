using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

/// <summary>The cards the repository ships.</summary>
public class BundledDatasetTests
{
    [Fact]
    public void GowallaMiniLoadsWithoutADataRootAndMatchesItsCard()
    {
        var registry = new DatasetRegistry(new[] { RepoPaths.DatasetCards }, dataRoot: null, RepoPaths.TempDirectory());
        var data = registry.Load("gowalla-mini");
        var s = data.Card.Statistics!;
        Assert.True(data.Card.Bundled);
        Assert.Equal((s.Users, s.Items, s.Train, s.Test), (data.Stats.Users, data.Stats.Items, data.Stats.TrainInteractions, data.Stats.TestInteractions));
        Assert.True(data.Items <= 5000, $"{data.Items} items: EASE inverts an items×items matrix in the quickstart");
        Assert.Equal(0, data.Stats.UsersWithoutTest);
        Assert.Equal(0, MatrixRowsWithout(data.Train));
    }

    [Fact]
    public void EveryShippedCardIsValid()
    {
        var cards = DatasetCards.ReadAll(new[] { RepoPaths.DatasetCards });
        Assert.Equal(new[] { "amazon-book", "gowalla", "gowalla-mini", "ml-100k", "ml-1m-ncf", "ml-20m", "msd", "netflix", "pinterest-20", "yelp2018" },
            cards.Select(c => c.Name).Order());
        foreach (var card in cards)
        {
            Assert.NotEmpty(card.Files);
            // A file without a published checksum (ML-20M's ratings.csv: GroupLens publishes the zip's MD5 only; files
            // flattened by the card's own command) is allowed when the provenance says so.
            Assert.All(card.Files, f => Assert.True(f.Sha256 is { Length: 64 } || f.Md5 is { Length: 32 }
                || card.Provenance?.Contains("no checksum", StringComparison.Ordinal) == true, $"{card.Name}/{f.Name} has no checksum"));
            Assert.NotEmpty(card.Sources);
            Assert.NotEmpty(card.Licence);
            Assert.NotNull(card.Statistics);
            var reader = CFBench.Core.Datasets.Readers.DatasetReaders.For(card);
            Assert.All(reader.FilesToRead(card), f => Assert.Contains(card.Files, d => d.Name == f));
            if (!card.Bundled) Assert.False(string.IsNullOrEmpty(card.Obtain), $"{card.Name} says not where to get its files");
        }
        Assert.Contains("reconstructed", cards.Single(c => c.Name == "ml-1m-ncf").Provenance, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoRealDataFileIsShipped()
    {
        var shipped = Directory.GetFiles(RepoPaths.DatasetCards, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != DatasetCards.FileName && Path.GetRelativePath(RepoPaths.DatasetCards, f) != "README.md")
            .Select(f => Path.GetRelativePath(RepoPaths.DatasetCards, f).Replace('\\', '/'))
            .Order();
        Assert.Equal(new[] { "gowalla-mini/item_list.txt", "gowalla-mini/test.txt", "gowalla-mini/train.txt", "gowalla-mini/user_list.txt" }, shipped);
    }

    private static int MatrixRowsWithout(CFBench.Contracts.InteractionMatrix m) => Enumerable.Range(0, m.Rows).Count(r => m.RowLength(r) == 0);
}
