using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Splits;
using CFBench.Core.Datasets.Subsets;

namespace CFBench.Tests.Datasets;

/// <summary>The real datasets of the shared folder, read through the repository's cards: their statistics must be the
/// papers'. Skipped (with the reason) where the shared folder is absent.</summary>
public class SharedDatasetTests
{
    private static DatasetRegistry Registry() => new(new[] { RepoPaths.DatasetCards }, RepoPaths.SharedDatasets, RepoPaths.TempDirectory());

    [SharedDataFact("gowalla")]
    public void GowallaHasThePapersStatistics()
    {
        var data = Registry().Load("gowalla");
        Assert.Equal((29_858, 40_981, 810_128L, 217_242L), (data.Stats.Users, data.Stats.Items, data.Stats.TrainInteractions, data.Stats.TestInteractions));
        Assert.Equal((29_858, 40_981, 810_128), (data.Train.Rows, data.Train.Columns, data.Train.Count));
        Assert.Equal(217_242, data.Test!.Count);
        Assert.Equal((0L, 0L, 0L), (data.Stats.DuplicatesDropped, data.Stats.UsersWithoutTest, data.Stats.TrainTestOverlap));
    }

    [SharedDataFact("ml-100k")]
    public void Ml100kRawLogHasGroupLensCounts()
    {
        var path = Path.Combine(RepoPaths.SharedDatasets, "ml-100k", "u.data");
        var all = RawLogReader.Read(path, new RawPreprocessing(), new SplitDeclaration());
        Assert.Equal((943, 1_682, 100_000L), (all.Stats.Users, all.Stats.Items, all.Stats.TrainInteractions));
        var liked = RawLogReader.Read(path, new RawPreprocessing { RatingAtLeast = 4 }, new SplitDeclaration());
        Assert.Equal(55_375, liked.Train.Count);
        Assert.Equal(55_375, RawLogReader.Read(path, new RawPreprocessing { RatingAbove = 3.5 }, new SplitDeclaration()).Train.Count);
    }

    [SharedDataFact("ml-100k")]
    public void Ml100kCardGivesAStrongGeneralizationSplit()
    {
        var data = Registry().Load("ml-100k");
        Assert.Equal(100, data.ValidationUsers!.Count);
        Assert.Equal(100, data.TestUsers!.Count);
        Assert.Equal(data.Stats.Users - 200, data.Train.Rows);
        long all = data.Train.Count + data.ValidationUsers.FoldIn.Count + data.ValidationUsers.HeldOut.Count
            + data.TestUsers.FoldIn.Count + data.TestUsers.HeldOut.Count;
        long kept = data.Stats.Notes!["ratings read"] - data.Stats.Notes["ratings below the threshold"] - data.Stats.Notes["ratings of users with < 5 ratings"];
        Assert.True(all <= kept && all > kept * 0.95, $"{all} of {kept} kept ratings in the split (held-out users lose items unseen in training)");
    }

    [SharedDataFact("ml-1m-ncf")]
    public void Ml1mNcfKeepsTheHeldOutItemAmongItsNegativesFor156Users()
    {
        var data = Registry().Load("ml-1m-ncf");
        Assert.Equal((6_040, 3_706, 994_169), (data.Train.Rows, data.Train.Columns, data.Train.Count));
        Assert.Equal(6_040, data.Test!.Count);
        Assert.Equal(156, data.Stats.Notes!["held-out item among its own negatives"]);
        int users = 0;
        for (int u = 0; u < data.Users; u++) if (data.TestNegatives!.Contains(u, data.Test.Row(u)[0])) users++;
        Assert.Equal(156, users);
    }

    [SharedDataFact("gowalla")]
    public void BundledGowallaMiniIsReproducedByItsCommand()
    {
        var mini = DatasetCards.Read(Path.Combine(RepoPaths.DatasetCards, "gowalla-mini", DatasetCards.FileName));
        Assert.Contains("--users 6000 --min-item-count 8 --seed 2020", mini.Provenance);
        var gowalla = Registry().Load("gowalla");
        var subset = LightGcnSubset.Make(gowalla.Train, gowalla.Test!, new SubsetOptions(6000, 8, 2020));
        var dir = RepoPaths.TempDirectory();
        LightGcnSubset.Write(subset, dir);
        foreach (var file in mini.Files)
            Assert.Equal(file.Sha256, DatasetFixtures.Sha256(Path.Combine(dir, file.Name)));
    }
}
