using System.Text.Json.Nodes;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

/// <summary>Issue #14: `cfbench data card` writes cards for files a user brings, cards live in any folder given by
/// --datasets, undeclared files are refused and statistics that differ from the card's are warned about.</summary>
public class DataCardCommandTests
{
    private static (int ExitCode, string Output) Cfbench(string workDir, params string[] args) =>
        CliProcess.Run(workDir, TimeSpan.FromMinutes(2), args);

    private static DatasetFixtures.Layout Workspace(DatasetFixtures.Layout layout)
    {
        File.WriteAllText(Path.Combine(layout.Root, "bench.json"), """{ "cacheDir": "cache", "protocols": {}, "suites": {} }""");
        return layout;
    }

    [Fact]
    public void WritesALastFmCardThatLoadsAndShows()
    {
        var layout = Workspace(DelimitedReaderTests.LastFm());
        var files = new[] { "data1.txt", "test1.txt", "user_friend.txt" }.Select(f => Path.Combine(layout.Data, "lastfm", f));
        var cardFolder = Path.Combine(layout.Cards, "lastfm");
        var (code, output) = Cfbench(layout.Root, new[] { "data", "card", "--format", "delimited", "--files" }.Concat(files).Concat(new[]
        {
            "--separator", "tab", "--first-id", "1", "--columns", "user,item,rating", "--train", "data1.txt", "--test", "test1.txt",
            "--out", cardFolder, "--data", layout.Data,
        }).ToArray());
        Assert.True(code == 0, output);
        var card = DatasetCards.Read(Path.Combine(cardFolder, DatasetCards.FileName));
        Assert.Equal("delimited", card.Format);
        Assert.Equal(new DatasetStatistics(3, 4, 5, 3, 8), card.Statistics);
        Assert.Equal(DatasetFixtures.Sha256(Path.Combine(layout.Data, "lastfm", "data1.txt")), card.Files[0].Sha256);
        Assert.Equal(new FileInfo(Path.Combine(layout.Data, "lastfm", "user_friend.txt")).Length, card.Files[2].Bytes);
        Assert.Equal(1, card.Layout!["firstId"]!.GetValue<int>());
        Assert.False(card.Bundled);

        (code, output) = Cfbench(layout.Root, "data", "show", "lastfm", "--datasets", layout.Cards, "--data", layout.Data);
        Assert.True(code == 0, output);
        Assert.Matches(@"users\s+│\s+3\s+│\s+3", output);
        Assert.DoesNotContain("warning", output);

        (code, output) = Cfbench(layout.Root, "data", "list", "--datasets", layout.Cards, "--data", layout.Data);
        Assert.True(code == 0, output);
        Assert.Contains(layout.Cards, output.ReplaceLineEndings(""));
    }

    [Fact]
    public void WritesAMovieLensLatestSmallCardBesideItsFiles()
    {
        var layout = Workspace(new DatasetFixtures.Layout());
        var folder = Path.Combine(layout.Cards, "ml-latest-small");
        var ratings = DatasetFixtures.Write(folder, "ratings.csv",
            "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n2,1,3.5,1445714835\n");
        var (code, output) = Cfbench(layout.Root, "data", "card", "--format", "raw", "--files", ratings, "--out", folder);
        Assert.True(code == 0, output);
        var card = DatasetCards.Read(Path.Combine(folder, DatasetCards.FileName));
        Assert.True(card.Bundled);
        Assert.Equal(new DatasetStatistics(2, 2, Interactions: 3), card.Statistics);

        (code, output) = Cfbench(layout.Root, "data", "show", "ml-latest-small", "--datasets", layout.Cards);
        Assert.True(code == 0, output);
        Assert.Matches(@"ratings read\s+│\s+3\s+│\s+3", output);

        // A second card over it is refused, not overwritten.
        (code, output) = Cfbench(layout.Root, "data", "card", "--format", "raw", "--files", ratings, "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains("exists", output);
    }

    [Fact]
    public void AFileTheReaderReadsButTheCardDoesNotDeclareIsRefused()
    {
        var layout = Workspace(new DatasetFixtures.Layout());
        layout.DataFile("tiny", "train.txt", "0 1 2\n1 0\n");
        layout.DataFile("tiny", "test.txt", "0 0\n1 2\n");
        layout.Card("tiny", "lightgcn", new[] { "train.txt" });
        var (code, output) = Cfbench(layout.Root, "data", "show", "tiny", "--datasets", layout.Cards, "--data", layout.Data);
        Assert.Equal(2, code);
        Assert.Contains("the lightgcn reader reads test.txt, which the card does not declare in 'files'", output.ReplaceLineEndings(" "));
    }

    [Fact]
    public void StatisticsThatDifferFromTheCardAreWarnedAbout()
    {
        var layout = Workspace(new DatasetFixtures.Layout());
        layout.DataFile("tiny", "train.txt", "0 1 2\n1 0\n");
        layout.DataFile("tiny", "test.txt", "0 0\n1 2\n");
        var card = layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        DatasetCards.Write(Path.Combine(layout.Cards, "tiny", DatasetCards.FileName), card with { Statistics = new DatasetStatistics(Users: 2, Items: 3, Train: 4) });
        var (code, output) = Cfbench(layout.Root, "data", "show", "tiny", "--datasets", layout.Cards, "--data", layout.Data);
        Assert.Equal(0, code);
        Assert.Contains("warning: the card says train interactions 4, measured 3", output.ReplaceLineEndings(" "));
        Assert.DoesNotContain("the card says users", output);

        (code, output) = Cfbench(layout.Root, "data", "list", "--datasets", Path.Combine(layout.Root, "nope"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", output);
    }
}
