using System.Text.Json.Nodes;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

public class DatasetRegistryTests
{
    private static DatasetFixtures.Layout LightGcnLayout(string name = "tiny")
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile(name, "train.txt", "0 1 2\n1 0 3\n2 2 2 1\n");
        layout.DataFile(name, "test.txt", "0 3\n1 1\n2 0\n");
        return layout;
    }

    [Fact]
    public void LoadsACardFromTheDataRootWithChecksumsAndFingerprint()
    {
        var layout = LightGcnLayout();
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        var data = layout.Registry().Load("tiny");
        Assert.Equal("tiny", data.Name);
        Assert.Equal(3, data.Users);
        Assert.Equal(4, data.Items);
        Assert.Equal(1, data.Stats.DuplicatesDropped);
        Assert.Equal(DatasetFixtures.Sha256(Path.Combine(layout.Data, "tiny", "train.txt")), data.FileChecksums["train.txt"]);
        Assert.Equal(64, data.Fingerprint.Length);
    }

    [Fact]
    public void ChecksumMismatchNamesFileExpectedAndActual()
    {
        var layout = LightGcnLayout();
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" },
            declare: f => new DatasetFile(f, f == "test.txt" ? new string('0', 64) : null));
        var path = Path.Combine(layout.Data, "tiny", "test.txt");
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load("tiny"));
        Assert.Equal($"{path}: SHA-256 mismatch: expected {new string('0', 64)}, actual {DatasetFixtures.Sha256(path)}", e.Message);
    }

    [Fact]
    public void Md5IsCheckedWhenItIsAllTheCardHas()
    {
        var layout = LightGcnLayout();
        var train = Path.Combine(layout.Data, "tiny", "train.txt");
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" },
            declare: f => new DatasetFile(f, Md5: f == "train.txt" ? DatasetFixtures.Md5(train) : "d41d8cd98f00b204e9800998ecf8427e"));
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load("tiny"));
        Assert.StartsWith($"{Path.Combine(layout.Data, "tiny", "test.txt")}: MD5 mismatch: expected d41d8cd98f00b204e9800998ecf8427e, actual ", e.Message);
    }

    [Fact]
    public void MissingFilesGiveOneLineWithFolderAndWhereToGetThem()
    {
        var layout = new DatasetFixtures.Layout();
        layout.Card("big", "lightgcn", new[] { "train.txt", "test.txt" }, declare: f => new DatasetFile(f, Md5: "00"), obtain: "https://example.org/big");
        layout.DataFile("big", "test.txt", "0 1\n");
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load("big"));
        Assert.Equal($"dataset 'big': missing train.txt under {Path.Combine(layout.Data, "big")}; get them from: https://example.org/big", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void SecondLoadReadsTheCacheAndEqualsAFreshParse()
    {
        var layout = LightGcnLayout();
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        var messages = new List<string>();
        var first = layout.Registry().Load("tiny", messages.Add);
        Assert.Contains(messages, m => m.Contains("parsed"));
        Assert.Single(Directory.GetFiles(Path.Combine(layout.Cache, "datasets"), "tiny-*.bin"));

        messages.Clear();
        var cached = layout.Registry().Load("tiny", messages.Add);
        Assert.Contains(messages, m => m.Contains("read from cache"));
        var fresh = layout.Registry().Load("tiny", useCache: false);
        foreach (var other in new[] { cached, fresh })
        {
            RawLogReaderTests.AssertSame(first.Train, other.Train);
            RawLogReaderTests.AssertSame(first.Test!, other.Test!);
            Assert.Equal(first.Stats with { Notes = null }, other.Stats with { Notes = null });
            Assert.Equal(first.Stats.Notes, other.Stats.Notes);
            Assert.Equal(first.Fingerprint, other.Fingerprint);
        }
    }

    [Fact]
    public void CacheKeepsEveryPartOfAStrongGeneralizationSplitAndNegatives()
    {
        var layout = new DatasetFixtures.Layout();
        var text = string.Concat(Enumerable.Range(1, 40).SelectMany(u => Enumerable.Range(1, 6 + u % 3).Select(i => $"{u}\t{i}\t4\t{i}\n")));
        layout.DataFile("sg", "u.data", text);
        var split = JsonNode.Parse("""{ "type": "strong-generalization", "seed": 5, "validationUsers": 5, "testUsers": 5 }""")!.AsObject();
        layout.Card("sg", "raw", new[] { "u.data" }, split: split);
        var first = layout.Registry().Load("sg");
        var cached = layout.Registry().Load("sg");
        RawLogReaderTests.AssertSame(first.Train, cached.Train);
        RawLogReaderTests.AssertSame(first.ValidationUsers!.FoldIn, cached.ValidationUsers!.FoldIn);
        RawLogReaderTests.AssertSame(first.TestUsers!.HeldOut, cached.TestUsers!.HeldOut);
        Assert.Null(cached.Test);
    }

    [Fact]
    public void FingerprintFollowsTheSplitDeclaration()
    {
        var card = new DatasetCard { Name = "x", Format = "raw", Split = JsonNode.Parse("""{ "type": "leave-latest-one-out" }""")!.AsObject() };
        var files = new Dictionary<string, string> { ["u.data"] = "ab" };
        var other = card with { Split = JsonNode.Parse("""{ "type": "random-ratio", "seed": 1 }""")!.AsObject() };
        Assert.NotEqual(DatasetRegistry.Fingerprint(card, files), DatasetRegistry.Fingerprint(other, files));
        Assert.Equal(DatasetRegistry.Fingerprint(card, files), DatasetRegistry.Fingerprint(card with { Description = "changed" }, files));
        Assert.NotEqual(DatasetRegistry.Fingerprint(card, files), DatasetRegistry.Fingerprint(card, new Dictionary<string, string> { ["u.data"] = "cd" }));
    }

    [Fact]
    public void CorruptCacheFileIsIgnoredAndRewritten()
    {
        var layout = LightGcnLayout();
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        var first = layout.Registry().Load("tiny");
        var cacheFile = Directory.GetFiles(Path.Combine(layout.Cache, "datasets")).Single();
        File.WriteAllBytes(cacheFile, File.ReadAllBytes(cacheFile)[..40]);
        var messages = new List<string>();
        var again = layout.Registry().Load("tiny", messages.Add);
        Assert.Contains(messages, m => m.Contains("parsed"));
        RawLogReaderTests.AssertSame(first.Train, again.Train);
    }

    [Fact]
    public void BundledCardsReadFilesBesideTheCardAndNeedNoDataRoot()
    {
        var layout = LightGcnLayout();
        var folder = Path.Combine(layout.Cards, "mini");
        DatasetFixtures.Write(folder, "train.txt", "0 1\n1 0\n");
        DatasetFixtures.Write(folder, "test.txt", "0 0\n1 1\n");
        DatasetCards.Write(Path.Combine(folder, "dataset.json"), new DatasetCard { Name = "mini", Format = "lightgcn", Bundled = true,
            Files = new[] { new DatasetFile("train.txt", DatasetFixtures.Sha256(Path.Combine(folder, "train.txt"))), new DatasetFile("test.txt") } });
        var registry = new DatasetRegistry(new[] { layout.Cards }, dataRoot: null, layout.Cache);
        Assert.Equal(2, registry.Load("mini").Users);
    }

    [Fact]
    public void UnknownDatasetAndBadCardAreOneLineErrors()
    {
        var layout = LightGcnLayout();
        layout.Card("tiny", "lightgcn", new[] { "train.txt", "test.txt" });
        Assert.Equal("unknown dataset 'nope' (known: tiny)", Assert.Throws<DatasetException>(() => layout.Registry().Find("nope")).Message);

        DatasetFixtures.Write(Path.Combine(layout.Cards, "broken"), "dataset.json", "{ \"name\": \"broken\", \n \"format\": 3 }");
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Cards);
        Assert.StartsWith($"{Path.Combine(layout.Cards, "broken", "dataset.json")}: invalid dataset card:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CardsDeserializeFromCamelCaseJson()
    {
        var layout = new DatasetFixtures.Layout();
        DatasetFixtures.Write(Path.Combine(layout.Cards, "c"), "dataset.json", """
            { "name": "c", "format": "raw", "files": [ { "name": "u.data", "sha256": "ab", "bytes": 12 } ],
              "sources": ["https://x"], "statistics": { "users": 3, "items": 4, "interactions": 5 }, "licence": "L", "paper": "P",
              "directory": "cdir", "preprocessing": { "ratingAtLeast": 4 }, "split": { "type": "none" }, "obtain": "O", "provenance": "made" }
            """);
        var card = layout.Registry().Find("c");
        Assert.Equal(new DatasetFile("u.data", "ab", null, 12), card.Files.Single());
        Assert.Equal(new DatasetStatistics(3, 4, null, null, 5), card.Statistics);
        Assert.Equal("cdir", card.Directory);
        Assert.Equal(4, card.Preprocessing!["ratingAtLeast"]!.GetValue<double>());
        Assert.Equal(("L", "P", "O", "made"), (card.Licence, card.Paper, card.Obtain, card.Provenance));
        Assert.Equal(Path.Combine(layout.Data, "cdir"), layout.Registry().DirectoryOf(card));
    }
}
