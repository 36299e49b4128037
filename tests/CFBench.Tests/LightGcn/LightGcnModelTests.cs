using CFBench.Tests.Plugins;
using CFBench.Contracts;
using CFBench.Core.Plugins;
using CFBench.Plugins.LightGCN;
using CFBench.Sdk.Graph;
using static TorchSharp.torch;

namespace CFBench.Tests.LightGcn;

public class LightGcnModelTests
{
    private static LightGcnRecommender Create(TrainingSet train, long seed, Dictionary<string, object>? overrides = null)
    {
        var values = new Dictionary<string, object> { ["batch"] = 64L };
        foreach (var (k, v) in overrides ?? new()) values[k] = v;
        var model = new LightGcnRecommender();
        model.Initialize(train, LightGcnOptions.Resolve(values), LightGcnGraphs.Cpu(seed));
        return model;
    }

    [Theory]
    [InlineData("auto", "kernel EmbeddingBag (max bag 32)")]   // auto picks csr only on a GPU
    [InlineData("csr", "kernel Csr")]
    public void AutoPropagationIsEmbeddingBagOnTheCpu(string propagation, string expected)
    {
        var log = new List<string>();
        using var model = new LightGcnRecommender();
        model.Initialize(LightGcnGraphs.Tiny(), LightGcnOptions.Resolve(new Dictionary<string, object> { ["propagation"] = propagation }), new RunContext(CPU, 1, log.Add));
        Assert.Contains(log, line => line.EndsWith(expected));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Theory]
    [InlineData("mean", "sym")]
    [InlineData("single", "sym")]
    [InlineData("mean", "L1-L")]
    public void FinalEmbeddingsFollowTheLayerCombination(string combination, string norm)
    {
        var train = LightGcnGraphs.Random();
        using var model = Create(train, 1, new() { ["layers"] = 2L, ["combination"] = combination, ["norm"] = norm });
        using var dense = LightGcnGraphs.Dense(NormalizedAdjacency.Build(train, NormalizationNames.Parse(norm)));
        using var e0 = model.Embedding.detach().to(float64);
        using var e1 = dense.mm(e0);
        using var e2 = dense.mm(e1);
        using var expected = combination == "mean" ? (e0 + e1 + e2) / 3 : e2.alias();
        using var noGrad = no_grad();
        using var final = model.Propagate();
        LightGcnGraphs.AssertClose(expected, final);
    }

    [Fact]
    public void ScoresAreInnerProductsOfFinalEmbeddingsAndCandidatesGatherThem()
    {
        var train = LightGcnGraphs.Random();
        using var model = Create(train, 2);
        model.TrainEpoch(CancellationToken.None);
        var users = new long[] { 1, 5, 39 };
        using var full = model.Score(Requests.Training(train, users));
        Assert.Equal(new long[] { 3, train.Items }, full.shape);
        using (no_grad())
        {
            using var final = model.Propagate();
            using var expected = final.index_select(0, tensor(users)).mm(final.narrow(0, train.Users, train.Items).t());
            LightGcnGraphs.AssertClose(expected, full);
        }
        using var candidates = tensor(new long[] { 0, 29, 3, 7, 7, 1 }, dtype: int64).view(3, 2);
        using var picked = model.Score(Requests.Training(train, users, candidates));
        using var gathered = full.gather(1, candidates);
        Assert.True(Same(gathered, picked));
    }

    [Fact]
    public void SameSeedGivesTheSameLossesAndParameters()
    {
        var train = LightGcnGraphs.Random();
        using var a = Create(train, 7);
        using var b = Create(train, 7);
        using var c = Create(train, 8);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var la = a.TrainEpoch(CancellationToken.None).Loss;
            var lb = b.TrainEpoch(CancellationToken.None).Loss;
            var lc = c.TrainEpoch(CancellationToken.None).Loss;
            Assert.Equal(la, lb);
            Assert.NotEqual(la, lc);
        }
        Assert.True(Same(a.Embedding, b.Embedding));
    }

    [Theory]
    [InlineData("user-uniform")]
    [InlineData("edge-permutation")]
    public void ResumingFromACheckpointContinuesExactly(string sampling)
    {
        var train = LightGcnGraphs.Random();
        var overrides = new Dictionary<string, object> { ["sampling"] = sampling, ["norm"] = "L" };
        using var original = Create(train, 3, overrides);
        original.TrainEpoch(CancellationToken.None);
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var next = original.TrainEpoch(CancellationToken.None);
        var after = original.TrainEpoch(CancellationToken.None);

        using var resumed = Create(train, 99, overrides);   // another seed: everything must come from the checkpoint
        checkpoint.Position = 0;
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(next.Loss, resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.Equal(after.Loss, resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.True(Same(original.Embedding, resumed.Embedding));
        using var s1 = original.Score(Requests.Training(train, new long[] { 2, 3 }));
        using var s2 = resumed.Score(Requests.Training(train, new long[] { 2, 3 }));
        Assert.True(Same(s1, s2));
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefused()
    {
        using var model = Create(LightGcnGraphs.Random(), 1);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) writer.Write("BPR-MF/1");
        stream.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => model.LoadCheckpoint(stream));
        Assert.Contains("not a LightGCN checkpoint", e.Message);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("single")]
    public void LossDecreasesOnASmallGraph(string combination)
    {
        var train = Plugins.SyntheticData.Create();
        using var model = Create(train, 5, new() { ["lr"] = 0.01, ["combination"] = combination, ["batch"] = 256L });
        var losses = Enumerable.Range(0, 6).Select(_ => model.TrainEpoch(CancellationToken.None).Loss).ToList();
        Assert.True(losses[^1] < losses[0] - 0.05, $"losses {string.Join(", ", losses)}");
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void CancellationStopsAnEpoch()
    {
        using var model = Create(LightGcnGraphs.Random(), 1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.TrainEpoch(cancel.Token));
    }

    [Fact]
    public void TheCatalogListsLightGcnWithItsVariants()
    {
        using var catalog = PluginCatalog.Load(new[] { Path.Combine(RepoPaths.DefaultPlugins, "LightGCN") });
        var model = catalog.Find("LightGCN");
        var names = model.Info.Variants.Select(v => v.Name).ToList();
        Assert.Equal(new[] { "K1", "K2", "K3", "K4", "K1-single", "K2-single", "K3-single", "K4-single",
                             "K3-L1-L", "K3-L1-R", "K3-L1", "K3-L", "K3-R" }, names);
        var resolved = ParameterResolver.Resolve(model.Info, "K3-L1-L", new Dictionary<string, object>());
        Assert.Equal("L1-L", resolved.Choice("norm"));
        Assert.Equal(3L, resolved.Int("layers"));
        var single = ParameterResolver.Resolve(model.Info, "K2-single", new Dictionary<string, object>());
        Assert.Equal("single", single.Choice("combination"));
        Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(model.Info, null, new Dictionary<string, object> { ["layers"] = 5L }));
    }
}
