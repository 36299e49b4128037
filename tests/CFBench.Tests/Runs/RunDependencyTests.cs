using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using CFBench.Tests.Protocols;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Tests.Runs;

/// <summary>Runs that start from other runs (NeuMF from GMF and MLP): planned after them, keyed by them, and handed
/// their exported weights.</summary>
public class RunDependencyTests
{
    /// <summary>"Up" exports a seeded weight vector; "Down/pre" needs an "up" run and keeps what it receives.</summary>
    private sealed class UpProvider : IModelProvider
    {
        public ModelInfo Info { get; } = new("Up", "test", "none", "exports weights",
            new[] { HyperParameter.Int("size", 4, "weights", 1, 100) }, new[] { new ModelVariant("small", "size 2", new Dictionary<string, object> { ["size"] = 2L }) });
        public IRecommender Create() => new Up();
    }

    private sealed class DownProvider : IModelProvider
    {
        public List<float[]> Received { get; } = new();
        public ModelInfo Info { get; } = new("Down", "test", "none", "starts from Up",
            Array.Empty<HyperParameter>(),
            new[] { new ModelVariant("plain", "from scratch", new Dictionary<string, object>()),
                    new ModelVariant("pre", "from an Up run", new Dictionary<string, object>(), Requires: new[] { "up" }) });
        public IRecommender Create() => new Down(this);
    }

    private class Up : IRecommender, IExportsWeights
    {
        private Tensor _w = null!;
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
        {
            using var g = context.CreateGenerator();
            _w = context.Normal(new[] { parameters.Int("size") }, 1, g);
        }
        public EpochReport TrainEpoch(CancellationToken cancel) => new(1, 1);
        public Tensor Score(ScoreRequest request) => zeros(request.Count, request.History.Columns);
        public void SaveCheckpoint(Stream stream) => CheckpointIO.WriteTensor(new BinaryWriter(stream), "w", _w);
        public void LoadCheckpoint(Stream stream) => CheckpointIO.ReadTensorInto(new BinaryReader(stream), "w", _w);
        public IReadOnlyDictionary<string, Tensor> ExportWeights() => new Dictionary<string, Tensor> { ["w"] = _w };
        public void Dispose() => _w?.Dispose();
    }

    private sealed class Down(DownProvider provider) : IRecommender
    {
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
        {
            if (context.Upstream.TryGetValue("up", out var up)) provider.Received.Add(up.Get("w").data<float>().ToArray());
        }
        public EpochReport TrainEpoch(CancellationToken cancel) => new(1, 1);
        public Tensor Score(ScoreRequest request) => zeros(request.Count, request.History.Columns);
        public void SaveCheckpoint(Stream stream) { }
        public void LoadCheckpoint(Stream stream) { }
        public void Dispose() { }
    }

    private static BenchConfig Config(string models)
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), "bench.json");
        File.WriteAllText(path, $$"""
            {
              "protocols": { "p": { "name": "full-ranking", "selection": "test" } },
              "suites": { "s": { "datasets": ["tiny"], "protocol": "p", "seeds": [1, 2],
                                 "schedule": { "epochs": 1, "evaluateEvery": 1 }, "models": [ {{models}} ] } }
            }
            """);
        return BenchConfigLoader.Load(path);
    }

    private const string Suite = """
        { "model": "Down", "variants": ["pre"], "dependsOn": { "up": "Up/small" } },
        { "model": "Up", "variants": ["small"] }
        """;

    private static IReadOnlyList<PlannedRun> Plan(string models, SuiteFilter? filter = null, DownProvider? down = null)
    {
        var catalog = PluginCatalog.Of(new UpProvider(), down ?? new DownProvider());
        return new SuitePlanner(Config(models), catalog).Plan("s", filter ?? new SuiteFilter(), _ => "fp");
    }

    [Fact]
    public void UpstreamRunsArePlannedFirstWithTheSameSeedAndKeyTheDownstreamRun()
    {
        var runs = Plan(Suite);
        Assert.Equal(new[] { "Up/small 1", "Down/pre 1", "Up/small 2", "Down/pre 2" }, runs.Select(r => $"{r.Spec.Label} {r.Spec.Seed}"));
        Assert.Equal(runs[0].Spec.Key, runs[1].Spec.Upstream["up"]);
        Assert.Equal(runs[2].Spec.Key, runs[3].Spec.Upstream["up"]);
        Assert.Contains($"upstream.up={runs[0].Spec.Key}\n", RunKey.Canonical(runs[1].Spec));
    }

    [Fact]
    public void SelectingTheDownstreamModelPlansItsUpstreamToo()
    {
        var runs = Plan(Suite, new SuiteFilter(Model: "Down/pre", Seeds: new long[] { 7 }));
        Assert.Equal(new[] { "Up/small 7", "Down/pre 7" }, runs.Select(r => $"{r.Spec.Label} {r.Spec.Seed}"));
    }

    [Fact]
    public void ADependencyChainNeverSpansTwoShards()
    {
        var runs = Plan(Suite, new SuiteFilter(Seeds: Enumerable.Range(1, 12).Select(s => (long)s).ToList()));
        foreach (var n in new[] { 2, 3, 5 })
        {
            var shardOf = ShardAssignment.Assign(runs, n).ToDictionary(a => a.Run.Spec.Key, a => a.Shard);
            Assert.All(runs, r => Assert.All(r.Spec.Upstream.Values, up => Assert.Equal(shardOf[up], shardOf[r.Spec.Key])));
            Assert.True(shardOf.Values.Distinct().Count() > 1, $"12 chains all in one of {n} shards");
        }
    }

    [Theory]
    [InlineData("""{ "model": "Down", "variants": ["pre"] }""", "models[0].dependsOn: Down/pre starts from a 'up' run")]
    [InlineData("""{ "model": "Down", "variants": ["pre"], "dependsOn": { "up": "Up/big" } }, { "model": "Up", "variants": ["small"] }""",
        "models[0].dependsOn.up: no entry of suite 's' runs 'Up/big'")]
    [InlineData("""{ "model": "Down", "variants": ["plain"], "dependsOn": { "up": "Up/small" } }, { "model": "Up", "variants": ["small"] }""",
        "models[0].dependsOn.up: Down/plain takes no 'up' run")]
    [InlineData("""{ "model": "Down", "variants": ["pre"], "dependsOn": { "up": "Up/small" } }, { "model": "Up", "variants": ["small"] }, { "model": "Up", "variants": ["small"], "params": { "size": 3 } }""",
        "'Up/small' is run by 2 entries")]
    public void BrokenDependenciesAreConfigErrorsNamingTheEntry(string models, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Plan(models));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void DownstreamRunReceivesTheUpstreamRunsExportedWeights()
    {
        var down = new DownProvider();
        var runs = Plan(Suite, new SuiteFilter(Seeds: new long[] { 3 }), down);
        var data = ProtocolTestData.Random(users: 30, items: 20, seed: 2);
        var directory = RepoPaths.TempDirectory();
        using var store = RunStore.Open(Path.Combine(directory, "runs.db"));
        var executor = new RunExecutor(store, directory, new InProcessRunPlayer());
        RunResult Execute(PlannedRun run) => executor.Execute(run, data, CPU, rerun: false, new NoDisplay(), _ => { }, CancellationToken.None);

        var early = Execute(runs[1]);
        Assert.Equal(RunResultKind.Failed, early.Kind);
        Assert.Contains("starts from the 'up' run", early.Error);
        Assert.Null(early.RunId);

        var up = Execute(runs[0]);
        Assert.Equal(RunResultKind.Finished, up.Kind);
        var weightsPath = store.FindByKey(runs[0].Spec.Key)!.WeightsPath!;
        using var exported = WeightsFile.Read(weightsPath, "up");
        var expected = exported.Get("w", new long[] { 2 }).data<float>().ToArray();

        Assert.Equal(RunResultKind.Finished, Execute(runs[1]).Kind);
        Assert.Equal(expected, Assert.Single(down.Received));
        Assert.Equal(runs[0].Spec.Key, store.FindByKey(runs[1].Spec.Key)!.Spec.Upstream["up"]);
    }
}
