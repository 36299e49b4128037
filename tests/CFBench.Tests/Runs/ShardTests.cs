using System.Text.RegularExpressions;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Runs;

/// <summary><c>--shard i/n</c> and <c>cfbench plan</c>: a suite split by run key into disjoint, order-independent parts.</summary>
public class ShardTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static List<PlannedRun> Runs(int count) =>
        Enumerable.Range(1, count).Select(seed => new PlannedRun(Spec("LightGCN", seed), null!, null!)).ToList();

    [Fact]
    public void EveryRunLandsInExactlyOneShardWhateverTheOrder()
    {
        var runs = Runs(60);
        var shuffled = runs.OrderBy(r => r.Spec.Key.GetHashCode()).Reverse().ToList();
        for (int n = 1; n <= 5; n++)
        {
            var parts = Enumerable.Range(1, n).Select(i => ShardAssignment.Select(runs, new Shard(i, n)).Select(r => r.Spec.Key).ToList()).ToList();
            var partsOfShuffled = Enumerable.Range(1, n).Select(i => ShardAssignment.Select(shuffled, new Shard(i, n)).Select(r => r.Spec.Key).Order().ToList()).ToList();

            Assert.Equal(runs.Select(r => r.Spec.Key).Order(), parts.SelectMany(p => p).Order()); // each run once
            Assert.Equal(parts.Select(p => p.Order().ToList()), partsOfShuffled);
            Assert.All(parts, p => Assert.NotEmpty(p)); // 60 runs spread over every shard
        }
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/3")]
    public void ABadShardIsRefusedNamingTheOption(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Shard.Parse(text));
        Assert.StartsWith($"--shard: '{text}'", e.Message);
    }

    [Fact]
    public void ShardRunsPlayExactlyThePlannedShardAndTogetherTheWholeSuite()
    {
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }""", epochs: 1, evaluateEvery: 1, seeds: "[1, 2, 3, 4, 5]");
        var (code, plan) = CliProcess.Run(workspace.Directory, Limit, "plan", "--suite", "t", "--shards", "2");
        Assert.True(code == 0, plan);
        var planned = Regex.Matches(plan, @"\b([0-9a-f]{16})\s*│\s*([12])/2\b").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        Assert.True(planned.Count == 5, plan);

        var ranByShard = new Dictionary<int, HashSet<string>>();
        for (int shard = 1; shard <= 2; shard++)
        {
            var before = Keys(workspace.Database);
            var (runCode, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t", "--shard", $"{shard}/2");
            Assert.True(runCode == 0, log);
            Assert.Contains($"shard {shard}/2: {planned.Count(p => p.Value == shard)} of the suite's 5 run(s)", log);
            ranByShard[shard] = Keys(workspace.Database).Except(before).ToHashSet();
        }

        Assert.Equal(planned.Where(p => p.Value == 1).Select(p => p.Key).Order(), ranByShard[1].Order());
        Assert.Equal(planned.Where(p => p.Value == 2).Select(p => p.Key).Order(), ranByShard[2].Order());

        var (badCode, bad) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t", "--shard", "3/2");
        Assert.Equal(2, badCode);
        Assert.Contains("--shard: '3/2' is not i/n", bad);
    }

    private static IReadOnlyList<string> Keys(string database)
    {
        if (!File.Exists(database)) return Array.Empty<string>();
        using var store = RunStore.Open(database);
        return store.List().Select(r => r.Key).ToList();
    }
}
