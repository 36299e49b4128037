using System.Text;
using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Splits;

namespace CFBench.Tests.Datasets;

public class RawLogReaderTests
{
    private static string Log(string name, string text) => DatasetFixtures.Write(RepoPaths.TempDirectory(), name, text);

    /// <summary>A log of <paramref name="users"/> users (raw ids 101..), user u rating items 1..(5+u%7) with ratings
    /// cycling 1..5 and timestamps that decrease with the item id.</summary>
    private static string SyntheticUData(int users)
    {
        var text = new StringBuilder();
        for (int u = 0; u < users; u++)
            for (int i = 1; i <= 5 + u % 7; i++)
                text.Append($"{101 + u}\t{i}\t{1 + (u + i) % 5}\t{1000 - i}\n");
        return text.ToString();
    }

    [Fact]
    public void ReadsTheThreeMovieLensLayouts()
    {
        var tab = RatingLog.Read(Log("u.data", "1\t10\t4\t881250949\n2\t20\t3\t881250950\n"));
        var colons = RatingLog.Read(Log("ratings.dat", "1::10::4::978300760\n2::20::3.5::978300761\n"));
        var csv = RatingLog.Read(Log("ratings.csv", "userId,movieId,rating,timestamp\n1,10,4.0,1112486027\n2,20,3.5,1112484676\n"));
        foreach (var log in new[] { tab, colons, csv })
        {
            Assert.Equal(new long[] { 1, 2 }, log.Users);
            Assert.Equal(new long[] { 10, 20 }, log.Items);
            Assert.Equal(4.0, log.Ratings[0]);
        }
        Assert.Equal(3.5, csv.Ratings[1]);
        Assert.Equal(978300761, colons.Timestamps[1]);
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        var path = Log("ratings.dat", "1::10::4::978300760\n2::20::4\n");
        var e = Assert.Throws<DatasetException>(() => RatingLog.Read(path));
        Assert.Equal($"{path}:2: expected user::item::rating::timestamp", e.Message);
        var csv = Log("ratings.csv", "userId,movieId,rating,timestamp\n1,10,four,1\n");
        Assert.Equal($"{csv}:2: rating 'four' is not a number", Assert.Throws<DatasetException>(() => RatingLog.Read(csv)).Message);
    }

    [Fact]
    public void PreprocessingAppliesThresholdThenItemThenUserMinimums()
    {
        // user 1: items 10, 11, 12 (all >= 4); user 2: items 10, 11 (4), 13 (2: dropped by threshold); user 3: item 10 only.
        var path = Log("u.data", "1\t10\t5\t1\n1\t11\t4\t2\n1\t12\t4\t3\n2\t10\t4\t1\n2\t11\t4\t2\n2\t13\t2\t3\n3\t10\t5\t1\n");
        var pre = new RawPreprocessing { RatingAtLeast = 4, MinItemCount = 2, MinUserCount = 2 };
        var parts = RawLogReader.Read(path, pre, new SplitDeclaration());
        // threshold drops (2,13); item 12 has 1 rating -> dropped; user 3 then has 1 rating -> dropped.
        Assert.Equal(2, parts.Stats.Users);
        Assert.Equal(2, parts.Stats.Items);
        Assert.Equal(4, parts.Train.Count);
        Assert.Equal(1, parts.Stats.Notes!["ratings below the threshold"]);
        Assert.Equal(1, parts.Stats.Notes["ratings of items with < 2 ratings"]);
        Assert.Equal(1, parts.Stats.Notes["ratings of users with < 2 ratings"]);
    }

    [Fact]
    public void RepeatedPairsAreKeptOnceAndCounted()
    {
        var path = Log("u.data", "1\t10\t5\t1\n1\t10\t4\t9\n1\t11\t4\t2\n");
        var parts = RawLogReader.Read(path, new RawPreprocessing(), new SplitDeclaration { Type = SplitDeclaration.LeaveLatestOneOut });
        Assert.Equal(1, parts.Stats.DuplicatesDropped);
        // the repeat of item 10 at t=9 is its latest rating, so item 10 (index 0) is the held-out item
        Assert.Equal(new[] { 0 }, parts.Test!.Row(0).ToArray());
    }

    [Fact]
    public void LeaveLatestOneOutPicksTheLatestTimestamp()
    {
        // user 7: latest is item 30 (t=50) although it is not the last line; user 8: tie at t=9 -> the later line (item 20).
        var path = Log("u.data", "7\t10\t4\t10\n7\t30\t4\t50\n7\t20\t4\t20\n8\t10\t4\t9\n8\t20\t4\t9\n8\t30\t4\t1\n9\t10\t4\t1\n");
        var parts = RawLogReader.Read(path, new RawPreprocessing(), new SplitDeclaration { Type = SplitDeclaration.LeaveLatestOneOut });
        Assert.Equal(new[] { 2 }, parts.Test!.Row(0).ToArray()); // items 10, 20, 30 -> 0, 1, 2
        Assert.Equal(new[] { 0, 1 }, parts.Train.Row(0).ToArray());
        Assert.Equal(new[] { 1 }, parts.Test.Row(1).ToArray());
        Assert.Empty(parts.Test.Row(2).ToArray()); // a single rating stays in training
        Assert.Equal(1, parts.Stats.UsersWithoutTest);
        Assert.Equal(0, parts.Stats.TrainTestOverlap);
    }

    [Fact]
    public void StrongGeneralizationSizesAndDeterminism()
    {
        var path = Log("u.data", SyntheticUData(60));
        var split = new SplitDeclaration { Type = SplitDeclaration.StrongGeneralization, Seed = 98765, ValidationUsers = 10, TestUsers = 12 };
        var a = RawLogReader.Read(path, new RawPreprocessing(), split);
        var b = RawLogReader.Read(path, new RawPreprocessing(), split);
        var c = RawLogReader.Read(path, new RawPreprocessing(), split with { Seed = 1 });

        Assert.Equal(38, a.Train.Rows);
        Assert.Equal(10, a.ValidationUsers!.Count);
        Assert.Equal(12, a.TestUsers!.Count);
        Assert.Null(a.Test);
        Assert.Equal(60, a.Stats.Users);
        foreach (var held in new[] { a.ValidationUsers, a.TestUsers })
            for (int r = 0; r < held.Count; r++)
            {
                int n = held.FoldIn.RowLength(r) + held.HeldOut.RowLength(r);
                Assert.Equal(n * 2 / 10, held.HeldOut.RowLength(r)); // floor(0.2 n); every user has >= 5 items
                foreach (var item in held.HeldOut.Row(r)) Assert.False(held.FoldIn.Contains(r, item));
            }
        Assert.Equal(a.Stats.TestInteractions, a.TestUsers.HeldOut.Count);

        AssertSame(a.Train, b.Train);
        AssertSame(a.TestUsers.HeldOut, b.TestUsers!.HeldOut);
        AssertSame(a.ValidationUsers.FoldIn, b.ValidationUsers!.FoldIn);
        Assert.False(Same(a.Train, c.Train) && Same(a.TestUsers.HeldOut, c.TestUsers!.HeldOut), "another seed gives the same split");
    }

    [Fact]
    public void StrongGeneralizationKeepsShortHistoriesAsFoldInAndItemsOfTrainingUsersOnly()
    {
        // 30 users with 5+ items each plus users 900/901 with 3 items; 901 also rates item 77 that nobody else rates.
        var text = SyntheticUData(30) + "900\t1\t5\t1\n900\t2\t5\t1\n900\t3\t5\t1\n901\t1\t5\t1\n901\t2\t5\t1\n901\t77\t5\t1\n";
        var path = Log("u.data", text);
        var split = new SplitDeclaration { Type = SplitDeclaration.StrongGeneralization, Seed = 3, ValidationUsers = 15, TestUsers = 16 };
        var parts = RawLogReader.Read(path, new RawPreprocessing(), split);
        int shortRows = 0;
        foreach (var held in new[] { parts.ValidationUsers!, parts.TestUsers! })
            for (int r = 0; r < held.Count; r++)
                if (held.FoldIn.RowLength(r) + held.HeldOut.RowLength(r) < 5)
                {
                    shortRows++;
                    Assert.Equal(0, held.HeldOut.RowLength(r));
                }
        Assert.True(shortRows >= 1, "a short history was expected among the 31 held-out users of 32");
        Assert.Equal(parts.Train.Columns, parts.Train.ColumnCounts().Count(c => c > 0)); // every item is a training user's
    }

    [Fact]
    public void RandomRatioIsDeterministicAndSplitsEachUser()
    {
        var path = Log("u.data", SyntheticUData(20));
        var split = new SplitDeclaration { Type = SplitDeclaration.RandomRatio, Seed = 7, TestFraction = 0.2 };
        var a = RawLogReader.Read(path, new RawPreprocessing(), split);
        var b = RawLogReader.Read(path, new RawPreprocessing(), split);
        AssertSame(a.Test!, b.Test!);
        for (int u = 0; u < 20; u++)
        {
            int n = 5 + u % 7;
            Assert.Equal(Math.Max(1, n / 5), a.Test!.RowLength(u));
            Assert.Equal(n - a.Test.RowLength(u), a.Train.RowLength(u));
        }
        Assert.Equal(0, a.Stats.TrainTestOverlap);
    }

    [Fact]
    public void SplitDeclarationRejectsUnknownKeys()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse("""{ "type": "random-ratio", "testUsers": 5 }""")!.AsObject();
        var e = Assert.Throws<DatasetException>(() => SplitDeclaration.Parse(json, "x"));
        Assert.Equal("dataset 'x': split: 'testUsers' does not apply to type 'random-ratio' (allowed: type, seed, testFraction)", e.Message);
    }

    private static bool Same(InteractionMatrix x, InteractionMatrix y) =>
        x.Rows == y.Rows && x.Columns == y.Columns && x.RowOffsets.SequenceEqual(y.RowOffsets) && x.ColumnIndices.SequenceEqual(y.ColumnIndices);

    internal static void AssertSame(InteractionMatrix x, InteractionMatrix y) => Assert.True(Same(x, y), "matrices differ");
}
