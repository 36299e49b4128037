using System.Text.Json.Nodes;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

/// <summary>Issue #14, readers: the delimited format (pre-split pair files with a given split, logs without a
/// timestamp), the weight threshold and the iterated k-core, on small files laid out like the published ones.</summary>
public class DelimitedReaderTests
{
    /// <summary>LightGCN-PyTorch's LastFM layout: <c>user\titem\tweight</c>, 1-based ids, CRLF, weights in
    /// scientific notation; a friends file the reader does not read.</summary>
    internal static DatasetFixtures.Layout LastFm(string name = "lastfm")
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile(name, "data1.txt", "1\t1\t3.2466e+05\r\n1\t3\t1.2e+01\r\n2\t2\t7\r\n3\t1\t2.5e+02\r\n3\t4\t4.1e+03\r\n");
        layout.DataFile(name, "test1.txt", "1\t2\t5.0e+00\r\n2\t1\t1.1e+03\r\n3\t3\t9\r\n");
        layout.DataFile(name, "user_friend.txt", "1\t2\r\n2\t3\r\n");
        return layout;
    }

    internal static JsonObject LastFmLayout() => JsonNode.Parse("""
        { "separator": "\t", "header": false, "firstId": 1, "columns": ["user", "item", "rating"] }
        """)!.AsObject();

    internal static JsonObject GivenSplit() => JsonNode.Parse("""{ "type": "given", "train": "data1.txt", "test": "test1.txt" }""")!.AsObject();

    private static DatasetCard Write(DatasetFixtures.Layout layout, DatasetCard card)
    {
        Directory.CreateDirectory(Path.Combine(layout.Cards, card.Name));
        DatasetCards.Write(Path.Combine(layout.Cards, card.Name, DatasetCards.FileName), card);
        return card;
    }

    [Fact]
    public void LastFmLoadsFromACardAlone()
    {
        var layout = LastFm();
        var card = layout.Card("lastfm", "delimited", new[] { "data1.txt", "test1.txt", "user_friend.txt" }, split: GivenSplit());
        Write(layout, card with { Layout = LastFmLayout() });
        var data = layout.Registry().Load("lastfm");
        Assert.Equal(3, data.Users);
        Assert.Equal(4, data.Items);
        Assert.Equal(new[] { 0, 2 }, data.Train.Row(0).ToArray()); // 1-based 1, 3
        Assert.Equal(new[] { 0, 3 }, data.Train.Row(2).ToArray());
        Assert.Equal(new[] { 1 }, data.Test!.Row(0).ToArray());
        Assert.Equal(5, data.Stats.TrainInteractions);
        Assert.Equal(3, data.Stats.TestInteractions);
        Assert.Equal(0, data.Stats.TrainTestOverlap);
        Assert.Equal(new[] { "data1.txt", "test1.txt" }, data.FileChecksums.Keys.Order());
    }

    [Fact]
    public void AWeightThresholdDropsPairsOfTheGivenSplit()
    {
        var layout = LastFm();
        var card = layout.Card("lastfm", "delimited", new[] { "data1.txt", "test1.txt", "user_friend.txt" }, split: GivenSplit(),
            preprocessing: new JsonObject { ["ratingAtLeast"] = 100 });
        Write(layout, card with { Layout = LastFmLayout() });
        var data = layout.Registry().Load("lastfm");
        Assert.Equal(3, data.Stats.TrainInteractions); // 3.2466e+05, 2.5e+02, 4.1e+03
        Assert.Equal(1, data.Stats.TestInteractions); // 1.1e+03
        Assert.Equal(4, data.Stats.Notes!["ratings below the threshold"]);

        Write(layout, card with { Layout = LastFmLayout(), Preprocessing = new JsonObject { ["kCore"] = 2 } });
        Assert.Contains("only ratingAtLeast and ratingAbove apply", Assert.Throws<DatasetException>(() => layout.Registry().Load("lastfm")).Message);
    }

    [Fact]
    public void PairFilesUnderLightGcnNamesAreRefusedByTheCardsStatistics()
    {
        // The mistake of the issue: LastFM pairs copied as train.txt/test.txt parse as "user item item" lines.
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("copied", "train.txt", "1\t1\t3\r\n2\t2\t324660\r\n");
        layout.DataFile("copied", "test.txt", "1\t2\t5\r\n");
        var card = layout.Card("copied", "lightgcn", new[] { "train.txt", "test.txt" });
        Write(layout, card with { Statistics = new DatasetStatistics(Users: 1892, Items: 4489) });
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load("copied"));
        Assert.Equal($"{Path.Combine(layout.Data, "copied", "train.txt")}:2: item id 324660 is beyond the card's statistics (4,489 items: ids 0..4488)", e.Message);
    }

    [Fact]
    public void ALogWithoutTimestampsTakesTheLaterLineAsLatest()
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("plays", "plays.csv", "user;item\n7;100\n7;200\n8;100\n8;300\n7;300\n");
        var card = layout.Card("plays", "delimited", new[] { "plays.csv" }, split: new JsonObject { ["type"] = "leave-latest-one-out" });
        Write(layout, card with { Layout = JsonNode.Parse("""{ "separator": ";", "header": true, "columns": ["user", "item"] }""")!.AsObject() });
        var data = layout.Registry().Load("plays");
        Assert.Equal(2, data.Users);
        Assert.Equal(3, data.Items); // items 100, 200, 300 → 0, 1, 2
        Assert.Equal(new[] { 2 }, data.Test!.Row(0).ToArray()); // user 7's last line: item 300
        Assert.Equal(new[] { 2 }, data.Test!.Row(1).ToArray()); // user 8's last line: item 300
    }

    [Fact]
    public void TheKCoreIsIteratedUntilStable()
    {
        // 3-core: user 4 rates items 10, 20 and 40; item 40 has one rating and goes in the first pass, which leaves user 4
        // with 2 ratings: only a second pass drops them (a third finds nothing). Users 1-3 on items 10, 20, 50 are a 3-core.
        var log = new System.Text.StringBuilder();
        foreach (var u in new[] { 1, 2, 3 })
            foreach (var i in new[] { 10, 20, 50 }) log.Append($"{u}\t{i}\n");
        log.Append("4\t10\n4\t20\n4\t40\n");
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("core", "log.tsv", log.ToString());
        var card = layout.Card("core", "delimited", new[] { "log.tsv" }, preprocessing: new JsonObject { ["kCore"] = 3 });
        Write(layout, card with { Layout = JsonNode.Parse("""{ "columns": ["user", "item"] }""")!.AsObject() });
        var data = layout.Registry().Load("core");
        Assert.Equal(3, data.Users);
        Assert.Equal(3, data.Items);
        Assert.Equal(9, data.Stats.TrainInteractions);
        Assert.Equal(3, data.Stats.Notes!["ratings dropped by the 3-core"]);
        Assert.Equal(3, data.Stats.Notes!["3-core passes"]);
    }

    [Fact]
    public void MovieLensLatestSmallLoadsWithARawCard()
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("ml-latest-small", "ratings.csv",
            "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.0,964981247\r\n2,1,3.5,1445714835\r\n2,193609,5.0,1445714836\r\n");
        layout.Card("ml-latest-small", "raw", new[] { "ratings.csv" });
        var data = layout.Registry().Load("ml-latest-small");
        Assert.Equal(2, data.Users);
        Assert.Equal(3, data.Items); // raw ids re-indexed: 193609 is item 2
        Assert.Equal(4, data.Stats.TrainInteractions);
    }
}
