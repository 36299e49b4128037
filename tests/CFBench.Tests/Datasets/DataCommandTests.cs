using System.Diagnostics;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

/// <summary><c>cfbench data ...</c> run as a process against a temp bench.json, card folder and data root.</summary>
public class DataCommandTests
{
    private static (int ExitCode, string Output) Cfbench(string workDir, params string[] args) =>
        CliProcess.Run(workDir, TimeSpan.FromMinutes(2), args);

    private static DatasetFixtures.Layout Workspace()
    {
        var layout = new DatasetFixtures.Layout();
        File.WriteAllText(Path.Combine(layout.Root, "bench.json"), """{ "cacheDir": "cache", "protocols": {}, "suites": {} }""");
        layout.DataFile("tiny", "train.txt", "0 1 2\n1 0\n");
        layout.DataFile("tiny", "test.txt", "0 0\n1 2\n");
        return layout;
    }

    private static void WriteCard(DatasetFixtures.Layout layout, DatasetCard card)
    {
        var folder = Path.Combine(layout.Root, "datasets", card.Name);
        Directory.CreateDirectory(folder);
        DatasetCards.Write(Path.Combine(folder, DatasetCards.FileName), card);
    }

    [Fact]
    public void VerifyExitsNonZeroOnAMismatch()
    {
        var layout = Workspace();
        var train = Path.Combine(layout.Data, "tiny", "train.txt");
        WriteCard(layout, new DatasetCard { Name = "tiny", Format = "lightgcn", Files = new[]
        {
            new DatasetFile("train.txt", DatasetFixtures.Sha256(train)),
            new DatasetFile("test.txt", new string('f', 64)),
        } });
        var (code, output) = Cfbench(layout.Root, "data", "verify", "tiny", "--data", layout.Data);
        Assert.Equal(1, code);
        Assert.Contains("MISMATCH", output);
        Assert.Contains("1 mismatch(es)", output);

        WriteCard(layout, new DatasetCard { Name = "tiny", Format = "lightgcn", Files = new[]
        {
            new DatasetFile("train.txt", DatasetFixtures.Sha256(train)),
            new DatasetFile("test.txt", DatasetFixtures.Sha256(Path.Combine(layout.Data, "tiny", "test.txt"))),
        } });
        (code, output) = Cfbench(layout.Root, "data", "verify", "tiny", "--data", layout.Data);
        Assert.Equal(0, code);
        Assert.Contains("2 file(s) checked, 0 mismatch(es)", output);
    }

    [Fact]
    public void ShowPrintsStatisticsAndMissingFilesAreAUserError()
    {
        var layout = Workspace();
        WriteCard(layout, new DatasetCard { Name = "tiny", Format = "lightgcn", Files = new[] { new DatasetFile("train.txt"), new DatasetFile("test.txt") },
            Statistics = new DatasetStatistics(Users: 2, Items: 3) });
        var (code, output) = Cfbench(layout.Root, "data", "show", "tiny", "--data", layout.Data);
        Assert.Equal(0, code);
        Assert.Matches(@"users\s+│\s+2\s+│\s+2", output);
        Assert.Matches(@"train interactions\s+│\s+3", output);

        File.Delete(Path.Combine(layout.Data, "tiny", "train.txt"));
        (code, output) = Cfbench(layout.Root, "data", "show", "tiny", "--data", layout.Data);
        Assert.Equal(2, code);
        Assert.Contains("error:", output);
        Assert.Contains("missing train.txt", output.ReplaceLineEndings(" "));
        Assert.DoesNotContain("   at ", output);
    }
}
