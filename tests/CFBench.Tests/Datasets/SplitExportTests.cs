using System.Text;
using System.Text.Json.Nodes;
using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Export;
using CFBench.Core.Protocols;

namespace CFBench.Tests.Datasets;

/// <summary><c>cfbench data export</c>: the parts written with the files' ids read back to exactly the dataset's
/// (and the protocol's) matrices.</summary>
public class SplitExportTests
{
    /// <summary>A raw log of 30 users (ids 501..) rating 4 + u % 9 items each; item ids 7·i + 3 (not the indices).</summary>
    private static string Log()
    {
        var text = new StringBuilder();
        for (int u = 0; u < 30; u++)
            for (int i = 0; i < 4 + u % 9; i++)
                text.Append($"{501 + u}\t{7 * ((u * 5 + i * 3) % 40) + 3}\t{1 + (u + i) % 5}\t{1000 + i}\n");
        return text.ToString();
    }

    private static (InteractionDataset Data, DatasetFixtures.Layout Layout) Load(JsonObject split)
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("log", "u.data", Log());
        layout.Card("log", "raw", new[] { "u.data" }, split: split);
        return (layout.Registry().Load("log"), layout);
    }

    /// <summary>The (user, item) lines of an exported part, header checked.</summary>
    private static List<(string User, string Item)> ReadPart(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(SplitExport.Header, lines[0]);
        return lines.Skip(1).Select(l => l.Split('\t')).Select(f => (f[0], f[1])).ToList();
    }

    /// <summary>A part read back into a matrix: ids mapped to indices by position in the given id lists.</summary>
    private static InteractionMatrix ReRead(string path, IReadOnlyList<string> users, IReadOnlyList<string> items)
    {
        var userIndex = users.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var itemIndex = items.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var pairs = ReadPart(path);
        return InteractionMatrix.FromPairs(users.Count, items.Count,
            pairs.Select(p => userIndex[p.User]).ToArray(), pairs.Select(p => itemIndex[p.Item]).ToArray());
    }

    private static void AssertSame(InteractionMatrix expected, InteractionMatrix actual, string part)
    {
        Assert.True((expected.Rows, expected.Columns) == (actual.Rows, actual.Columns), $"{part}: shape");
        Assert.True(expected.RowOffsets.SequenceEqual(actual.RowOffsets), $"{part}: row offsets");
        Assert.True(expected.ColumnIndices.SequenceEqual(actual.ColumnIndices), $"{part}: columns");
    }

    /// <summary>The log's (user, item) pairs.</summary>
    private static HashSet<(string, string)> LogPairs(string path) =>
        File.ReadLines(path).Select(l => l.Split('\t')).Select(f => (f[0], f[1])).ToHashSet();

    [Fact]
    public void StrongGeneralizationPartsReadBackToTheDatasetsMatricesWithTheLogsIds()
    {
        var split = new JsonObject
        {
            ["type"] = "strong-generalization", ["seed"] = 5, ["validationUsers"] = 4, ["testUsers"] = 5, ["testFraction"] = 0.25, ["minItemsToSplit"] = 3,
        };
        var (data, layout) = Load(split);
        var cached = layout.Registry().Load("log");
        Assert.Equal(data.Ids!.Users, cached.Ids!.Users); // the ids survive the binary cache
        Assert.Equal(data.Ids.Items, cached.Ids.Items);
        Assert.Equal(data.Ids.TestUsers, cached.Ids.TestUsers);

        var dir = Path.Combine(RepoPaths.TempDirectory(), "split");
        var manifest = SplitExport.Write(dir, cached, SplitParts.OfDataset(cached), null);

        Assert.Equal(new[] { "train.tsv", "validation-fold-in.tsv", "validation-held-out.tsv", "test-fold-in.tsv", "test-held-out.tsv" }, manifest.Files.Select(f => f.File));
        Assert.Equal(manifest.Files.Select(f => f.File).Append(SplitExport.ManifestFile).Order(), Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        var ids = data.Ids;
        AssertSame(data.Train, ReRead(Path.Combine(dir, "train.tsv"), ids.Users, ids.Items), "train");
        AssertSame(data.ValidationUsers!.FoldIn, ReRead(Path.Combine(dir, "validation-fold-in.tsv"), ids.ValidationUsers!, ids.Items), "validation fold-in");
        AssertSame(data.ValidationUsers.HeldOut, ReRead(Path.Combine(dir, "validation-held-out.tsv"), ids.ValidationUsers!, ids.Items), "validation held-out");
        AssertSame(data.TestUsers!.FoldIn, ReRead(Path.Combine(dir, "test-fold-in.tsv"), ids.TestUsers!, ids.Items), "test fold-in");
        AssertSame(data.TestUsers.HeldOut, ReRead(Path.Combine(dir, "test-held-out.tsv"), ids.TestUsers!, ids.Items), "test held-out");

        // The ids are the log's own: each training user's exported items are exactly its items in the log.
        var logPath = Path.Combine(layout.Data, "log", "u.data");
        var log = LogPairs(logPath);
        var train = ReadPart(Path.Combine(dir, "train.tsv"));
        Assert.All(train, pair => Assert.Contains(pair, log));
        foreach (var user in train.Select(p => p.User).Distinct())
            Assert.Equal(log.Where(p => p.Item1 == user).Select(p => p.Item2).Order(), train.Where(p => p.User == user).Select(p => p.Item).Order());
        var heldOutUsers = ids.ValidationUsers!.Concat(ids.TestUsers!).ToList();
        Assert.Equal(9, heldOutUsers.Count);
        Assert.Empty(heldOutUsers.Intersect(train.Select(p => p.User)));
        foreach (var part in new[] { "validation-fold-in", "validation-held-out", "test-fold-in", "test-held-out" })
            Assert.All(ReadPart(Path.Combine(dir, part + ".tsv")), pair => Assert.Contains(pair, log));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, SplitExport.ManifestFile)))!;
        Assert.Equal("log", (string?)json["dataset"]);
        Assert.Equal(DatasetFixtures.Sha256(logPath), (string?)json["sourceFiles"]!["u.data"]);
        Assert.Equal(5, (int)json["split"]!["seed"]!);
        foreach (var file in json["files"]!.AsArray())
        {
            var path = Path.Combine(dir, (string)file!["file"]!);
            Assert.Equal(File.ReadAllLines(path).Length - 1, (long)file["interactions"]!);
            Assert.Equal(DatasetFixtures.Sha256(path), (string?)file["sha256"]);
        }
        Assert.Equal(data.Train.Count, (long)json["files"]![0]!["interactions"]!);
    }

    [Fact]
    public void AFullRankingRunsFitAndValidationReadBackToTheProtocolsSplit()
    {
        var (data, layout) = Load(new JsonObject { ["type"] = "random-ratio", ["seed"] = 3, ["testFraction"] = 0.3 });
        var plan = ProtocolFactory.Create(new ProtocolOptions { Name = "full-ranking", ValidationFraction = 0.25 }).Plan(data, 7);
        var dir = Path.Combine(RepoPaths.TempDirectory(), "split");
        SplitExport.Write(dir, data, SplitParts.OfDataset(data).Concat(SplitParts.OfPlan(data, plan)).ToList(),
            new ProtocolSplit("s", 7, new ProtocolOptions()));

        var (users, items) = (data.Ids!.Users, data.Ids.Items);
        AssertSame(data.Train, ReRead(Path.Combine(dir, "train.tsv"), users, items), "train");
        AssertSame(data.Test!, ReRead(Path.Combine(dir, "test.tsv"), users, items), "test");
        AssertSame(plan.Train.UserItems, ReRead(Path.Combine(dir, "fit.tsv"), users, items), "fit");
        var selection = plan.Selection;
        var expected = InteractionMatrix.FromPairs(data.Users, data.Items,
            selection.Relevant.EntryRows().Select(b => selection.Users[b]).ToArray(), selection.Relevant.ColumnIndices);
        AssertSame(expected, ReRead(Path.Combine(dir, "validation.tsv"), users, items), "validation");

        // Train and test together are the log; fit and validation together are train.
        var log = LogPairs(Path.Combine(layout.Data, "log", "u.data"));
        var trainAndTest = ReadPart(Path.Combine(dir, "train.tsv")).Concat(ReadPart(Path.Combine(dir, "test.tsv"))).ToList();
        Assert.Equal(log.Order(), trainAndTest.Order());
        Assert.Equal(ReadPart(Path.Combine(dir, "train.tsv")).Order(),
            ReadPart(Path.Combine(dir, "fit.tsv")).Concat(ReadPart(Path.Combine(dir, "validation.tsv"))).Order());
    }

    [Fact]
    public void ASampledRunsDrawnNegativesAreExportedForItsUsers()
    {
        var (data, _) = Load(new JsonObject { ["type"] = "leave-latest-one-out" });
        var plan = ProtocolFactory.Create(new ProtocolOptions { Name = "sampled", SampledNegatives = 5 }).Plan(data, 11);
        var parts = SplitParts.OfPlan(data, plan);
        Assert.Equal(new[] { "fit", "validation", "validation-negatives", "test-negatives" }, parts.Select(p => p.Name));
        var dir = Path.Combine(RepoPaths.TempDirectory(), "split");
        SplitExport.Write(dir, data, parts, null);

        var test = plan.Test;
        var expected = InteractionMatrix.FromPairs(data.Users, data.Items,
            test.Candidates!.EntryRows().Select(b => test.Users[b]).ToArray(), test.Candidates.ColumnIndices);
        AssertSame(expected, ReRead(Path.Combine(dir, "test-negatives.tsv"), data.Ids!.Users, data.Ids.Items), "test negatives");
        Assert.Equal(5 * test.Users.Length, ReadPart(Path.Combine(dir, "test-negatives.tsv")).Count);
    }

    [SharedDataFact("ml-100k")]
    public void Ml100kPartsReadBackToItsMatrices()
    {
        var data = new DatasetRegistry(new[] { RepoPaths.DatasetCards }, RepoPaths.SharedDatasets, RepoPaths.TempDirectory()).Load("ml-100k");
        var dir = Path.Combine(RepoPaths.TempDirectory(), "ml-100k");
        SplitExport.Write(dir, data, SplitParts.OfDataset(data), null);
        var ids = data.Ids!;
        AssertSame(data.Train, ReRead(Path.Combine(dir, "train.tsv"), ids.Users, ids.Items), "train");
        AssertSame(data.ValidationUsers!.FoldIn, ReRead(Path.Combine(dir, "validation-fold-in.tsv"), ids.ValidationUsers!, ids.Items), "validation fold-in");
        AssertSame(data.ValidationUsers.HeldOut, ReRead(Path.Combine(dir, "validation-held-out.tsv"), ids.ValidationUsers!, ids.Items), "validation held-out");
        AssertSame(data.TestUsers!.FoldIn, ReRead(Path.Combine(dir, "test-fold-in.tsv"), ids.TestUsers!, ids.Items), "test fold-in");
        AssertSame(data.TestUsers.HeldOut, ReRead(Path.Combine(dir, "test-held-out.tsv"), ids.TestUsers!, ids.Items), "test held-out");

        // Every exported interaction is a rating >= 4 of u.data under the same user and item ids.
        var liked = File.ReadLines(Path.Combine(RepoPaths.SharedDatasets, "ml-100k", "u.data")).Select(l => l.Split('\t'))
            .Where(f => int.Parse(f[2]) >= 4).Select(f => (f[0], f[1])).ToHashSet();
        foreach (var file in Directory.GetFiles(dir, "*.tsv"))
            Assert.All(ReadPart(file), pair => Assert.Contains(pair, liked));
    }

    [Fact]
    public void TheCommandWritesTheDatasetsAndTheSuitesSplitAndRefusesInOneLine()
    {
        var (_, layout) = Load(new JsonObject { ["type"] = "random-ratio", ["seed"] = 3, ["testFraction"] = 0.3 });
        Directory.CreateDirectory(Path.Combine(layout.Root, "datasets", "log"));
        File.Copy(Path.Combine(layout.Cards, "log", DatasetCards.FileName), Path.Combine(layout.Root, "datasets", "log", DatasetCards.FileName));
        File.WriteAllText(Path.Combine(layout.Root, "bench.json"), """
            {
              "cacheDir": "cache",
              "protocols": { "p": { "name": "full-ranking", "selection": "validation", "validationFraction": 0.2 } },
              "suites": {
                "one": { "datasets": ["log"], "protocol": "p", "seeds": [4], "models": [ { "model": "MostPop" } ] },
                "two": { "datasets": ["log"], "protocol": "p", "seeds": [1, 2], "models": [ { "model": "MostPop" } ] }
              }
            }
            """);
        (int, string) Cfbench(params string[] args) =>
            CliProcess.Run(layout.Root, TimeSpan.FromMinutes(2), new[] { "data", "export", "log", "--data", layout.Data }.Concat(args).ToArray());

        var (code, output) = Cfbench("--out", "plain");
        Assert.True(code == 0, output);
        Assert.Equal(new[] { "manifest.json", "test.tsv", "train.tsv" }, Directory.GetFiles(Path.Combine(layout.Root, "plain")).Select(Path.GetFileName).Order());
        Assert.Contains("wrote 2 part(s) and manifest.json", output);

        (code, output) = Cfbench("--out", "run", "--suite", "one");
        Assert.True(code == 0, output);
        Assert.Contains("protocol split: suite one, full-ranking, seed 4", output);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(layout.Root, "run", SplitExport.ManifestFile)))!;
        Assert.Equal(4, (long)manifest["protocol"]!["seed"]!);
        Assert.Equal(0.2, (double)manifest["protocol"]!["options"]!["validationFraction"]!);
        Assert.Equal(new[] { "train", "test", "fit", "validation" }, manifest["files"]!.AsArray().Select(f => (string)f!["part"]!));

        foreach (var (args, message) in new[]
        {
            (new[] { "--out", "plain" }, "is not a new or empty folder"),
            (new[] { "--out", "x", "--seed", "1" }, "--seed: only with --suite"),
            (new[] { "--out", "x", "--suite", "two" }, "--seed: suite 'two' runs seeds 1, 2; give the run's seed"),
            (new[] { "--out", "x", "--suite", "nope" }, "--suite: no suite 'nope'"),
        })
        {
            (code, output) = Cfbench(args);
            Assert.Equal(2, code);
            Assert.Contains(message, output);
            Assert.Single(output.Trim().Split('\n'));
        }
        Assert.False(Directory.Exists(Path.Combine(layout.Root, "x")));
    }

    [Fact]
    public void ADatasetWhoseReaderGivesNoHeldOutIdsIsRefusedInOneLine()
    {
        var (data, _) = Load(new JsonObject
        {
            ["type"] = "strong-generalization", ["seed"] = 5, ["validationUsers"] = 4, ["testUsers"] = 5,
        });
        var withoutIds = new InteractionDataset
        {
            Name = data.Name, Card = data.Card, FileChecksums = data.FileChecksums, Fingerprint = data.Fingerprint,
            Train = data.Train, ValidationUsers = data.ValidationUsers, TestUsers = data.TestUsers, Stats = data.Stats,
        };
        var e = Assert.Throws<DatasetException>(() => SplitParts.OfDataset(withoutIds));
        Assert.Equal("dataset 'log': its reader gives no ids for the validation users, so their interactions cannot be exported", e.Message);
    }
}
