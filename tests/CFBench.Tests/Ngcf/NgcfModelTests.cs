using CFBench.Contracts;
using CFBench.Core.Plugins;
using CFBench.Plugins.NGCF;
using CFBench.Tests.LightGcn;
using CFBench.Tests.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Ngcf;

public class NgcfModelTests
{
    private static readonly ModelInfo Info = new NgcfProvider().Info;

    private static NgcfRecommender Create(TrainingSet train, long seed, string? variant = null, Dictionary<string, object>? overrides = null)
    {
        var values = new Dictionary<string, object> { ["batch"] = 16L };
        foreach (var (k, v) in overrides ?? new()) values[k] = v;
        var model = new NgcfRecommender();
        model.Initialize(train, ParameterResolver.Resolve(Info, variant, values), LightGcnGraphs.Cpu(seed));
        return model;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Theory]
    [InlineData("NGCF-1", 128, 4)]   // W1, b1, W2, b2 per layer
    [InlineData("NGCF-2", 192, 8)]
    [InlineData("NGCF-3", 256, 12)]
    [InlineData("NGCF-4", 320, 16)]
    [InlineData("NGCF-2-sum", 64, 8)]
    [InlineData("NGCF-2-f", 64, 0)]
    [InlineData("NGCF-2-n", 64, 8)]
    [InlineData("NGCF-2-fn", 64, 0)]
    public void EachVariantGivesFinalEmbeddingsOfItsWidthAndScoresEveryItem(string variant, long width, int layerParameters)
    {
        var train = LightGcnGraphs.Random();
        using var model = Create(train, 1, variant);
        using (no_grad())
        using (var final = model.Propagate(training: false))
            Assert.Equal(new long[] { train.Users + train.Items, width }, final.shape);
        model.TrainEpoch(CancellationToken.None);
        using var scores = model.Score(Requests.Training(train, new long[] { 1, 2 }));
        Assert.Equal(new long[] { 2, train.Items }, scores.shape);
        Assert.Equal(layerParameters, model.Layers.Parameters.Count());
    }

    /// <summary>D⁻¹(A+I) of <see cref="LightGcnGraphs.Tiny"/> (u0–i0, u0–i1, u1–i0, u2–i0), written out by hand:
    /// nodes u0, u1, u2, i0, i1 with degrees (self-loop included) 3, 2, 2, 4, 2.</summary>
    private static Tensor TinyNormAdjacency() => tensor(new double[]
    {
        1 / 3.0, 0, 0, 1 / 3.0, 1 / 3.0,
        0, 0.5, 0, 0.5, 0,
        0, 0, 0.5, 0.5, 0,
        0.25, 0.25, 0.25, 0.25, 0,
        0.5, 0, 0, 0, 0.5,
    }, new long[] { 5, 5 });

    private static Tensor Normalized(Tensor x) => x / x.square().sum(1, keepdim: true).sqrt();

    [Fact]
    public void WithoutTransformAndNonlinearityTheLayersAreTheUnweightedUpdateSummedByHand()
    {
        using var model = Create(LightGcnGraphs.Tiny(), 3, "NGCF-2-fn");
        Assert.Empty(model.Layers.Parameters);
        using var l = TinyNormAdjacency();
        using var e0 = model.Embedding.detach().to(float64);
        using var e1 = l.mm(e0) + e0 * l.mm(e0);       // E' = L·E + E ⊙ L·E: no W, no b, no σ
        using var e2 = l.mm(e1) + e1 * l.mm(e1);
        using var expected = e0 + Normalized(e1) + Normalized(e2);
        using var noGrad = no_grad();
        using var final = model.Propagate(training: false);
        LightGcnGraphs.AssertClose(expected, final);
    }

    [Fact]
    public void NgcfNKeepsTheWeightsAndDropsOnlyTheNonlinearity()
    {
        using var model = Create(LightGcnGraphs.Random(), 4, "NGCF-2-n");
        var p = model.Layers.Parameters.ToArray();   // W1, b1, W2, b2 of layer 0, ...
        Assert.Equal(8, p.Length);
        var generator = new Generator(2);
        using var e = randn(6, 64, generator: generator);
        using var side = randn(6, 64, generator: generator);
        using var noGrad = no_grad();
        using var expected = side.mm(p[0]) + p[1] + (e * side).mm(p[2]) + p[3];
        using var actual = model.Layers.Update(0, e, side);
        LightGcnGraphs.AssertClose(expected, actual);
        Assert.True((expected.lt(0)).any().item<bool>());   // negative pre-activations are kept as they are, not × 0.2
    }

    [Fact]
    public void NgcfFDropsTheWeightsAndKeepsLeakyRelu()
    {
        using var model = Create(LightGcnGraphs.Random(), 4, "NGCF-2-f");
        using var e = tensor(new float[] { 1, -2 }).view(1, 2);
        using var side = tensor(new float[] { 0.5f, 1 }).view(1, 2);
        using var actual = model.Layers.Update(0, e, side);
        // σ(side) + σ(e ⊙ side) = [0.5, 1] + [0.5, -0.4]
        LightGcnGraphs.AssertClose(tensor(new double[] { 1.0, 0.6 }).view(1, 2), actual);
    }

    [Theory]
    [InlineData("official", 1.0, 0.6)]   // σ(side·W1 + b1) + σ((e ⊙ side)·W2 + b2) = σ([0.5, 1]) + σ([0.5, -2])
    [InlineData("paper", 2.0, -0.6)]     // σ((side + e)·W1 + (side ⊙ e)·W2) = σ([1.5, -1] + [0.5, -2])
    public void OfficialAndPaperLayerFormsDifferAsWritten(string form, double first, double second)
    {
        var options = new NgcfOptions(new long[] { 2 }, 2, form == "paper" ? LayerForm.Paper : LayerForm.Official, true, true,
            NgcfCombination.Concat, "norm", 0.1, 0, 1e-4, 16, 1e-5, CFBench.Sdk.Propagation.PropagationKernel.Auto, 32);
        using var init = new Generator(1);
        using var layers = new NgcfLayers(options, init, CPU);
        using (no_grad())
            foreach (var p in layers.Parameters)
                if (p.shape[0] == 2) p.copy_(eye(2)); else p.zero_();   // W = I, b = 0
        using var e = tensor(new float[] { 1, -2 }).view(1, 2);
        using var side = tensor(new float[] { 0.5f, 1 }).view(1, 2);
        using var actual = layers.Update(0, e, side);
        LightGcnGraphs.AssertClose(tensor(new[] { first, second }).view(1, 2), actual);
        Assert.Equal(form == "paper" ? 2 : 4, layers.Parameters.Count());   // the paper's Eq. 7 has no biases
    }

    [Fact]
    public void MessageDropoutActsInTrainingOnlyAndNodeDropoutIsOffByDefault()
    {
        var train = LightGcnGraphs.Random();
        using var model = Create(train, 5, "NGCF-3");
        Assert.Equal(0.1, model.Options.MessageDropout);
        Assert.Equal(0.0, model.Options.NodeDropout);
        using var noGrad = no_grad();
        using var scoring1 = model.Propagate(training: false);
        using var scoring2 = model.Propagate(training: false);
        using var training = model.Propagate(training: true);
        Assert.True(Same(scoring1, scoring2));
        Assert.False(Same(scoring1, training));

        using var noDropout = Create(train, 5, "NGCF-3", new() { ["message_dropout"] = 0.0 });
        using var a = noDropout.Propagate(training: true);
        using var b = noDropout.Propagate(training: false);
        Assert.True(Same(a, b));   // node dropout off: a training pass is the scoring pass
    }

    [Fact]
    public void NodeDropoutIsFixedBySeedAndChangesOnlyTrainingPasses()
    {
        var train = LightGcnGraphs.Random();
        var overrides = new Dictionary<string, object> { ["message_dropout"] = 0.0, ["node_dropout"] = 0.3 };
        using var a = Create(train, 6, "NGCF-2", overrides);
        using var b = Create(train, 6, "NGCF-2", overrides);
        using var c = Create(train, 6, "NGCF-2", new() { ["message_dropout"] = 0.0 });
        using var noGrad = no_grad();
        using var ta = a.Propagate(training: true);
        using var tb = b.Propagate(training: true);
        using var tc = c.Propagate(training: true);
        using var sa = a.Propagate(training: false);
        using var sc = c.Propagate(training: false);
        Assert.True(Same(ta, tb));
        Assert.False(Same(ta, tc));
        Assert.True(Same(sa, sc));   // same initialisation, no dropout at scoring
        using var ta2 = a.Propagate(training: true);
        Assert.False(Same(ta, ta2));  // a new draw every pass
    }

    [Fact]
    public void SameSeedGivesTheSameLossesAndParameters()
    {
        var train = LightGcnGraphs.Random();
        using var a = Create(train, 7, "NGCF-2");
        using var b = Create(train, 7, "NGCF-2");
        using var c = Create(train, 8, "NGCF-2");
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var la = a.TrainEpoch(CancellationToken.None).Loss;
            Assert.Equal(la, b.TrainEpoch(CancellationToken.None).Loss);
            Assert.NotEqual(la, c.TrainEpoch(CancellationToken.None).Loss);
        }
        Assert.True(Same(a.Embedding, b.Embedding));
        Assert.True(a.Layers.Parameters.Zip(b.Layers.Parameters).All(pair => Same(pair.First, pair.Second)));
    }

    [Fact]
    public void ResumingFromACheckpointContinuesExactly()
    {
        var train = LightGcnGraphs.Random();
        var overrides = new Dictionary<string, object> { ["node_dropout"] = 0.2 };
        using var original = Create(train, 3, "NGCF-2", overrides);
        original.TrainEpoch(CancellationToken.None);
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var next = original.TrainEpoch(CancellationToken.None);
        var after = original.TrainEpoch(CancellationToken.None);

        using var resumed = Create(train, 99, "NGCF-2", overrides);   // another seed: everything must come from the checkpoint
        checkpoint.Position = 0;
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(next.Loss, resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.Equal(after.Loss, resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.True(Same(original.Embedding, resumed.Embedding));
        Assert.True(original.Layers.Parameters.Zip(resumed.Layers.Parameters).All(pair => Same(pair.First, pair.Second)));
        using var s1 = original.Score(Requests.Training(train, new long[] { 2, 3 }));
        using var s2 = resumed.Score(Requests.Training(train, new long[] { 2, 3 }));
        Assert.True(Same(s1, s2));
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefused()
    {
        using var model = Create(LightGcnGraphs.Random(), 1, "NGCF-1");
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) writer.Write("CFBench.LightGCN/1");
        stream.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => model.LoadCheckpoint(stream));
        Assert.Contains("not an NGCF checkpoint", e.Message);
    }

    [Fact]
    public void LossDecreasesOnASmallGraph()
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 5, "NGCF-2", new() { ["lr"] = 0.01, ["batch"] = 64L });
        var losses = Enumerable.Range(0, 6).Select(_ => model.TrainEpoch(CancellationToken.None).Loss).ToList();
        Assert.True(losses[^1] < losses[0] - 0.05, $"losses {string.Join(", ", losses)}");
    }

    [Fact]
    public void WithoutTransformTheLayerSizesMustBeTheEmbeddingSize()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Create(LightGcnGraphs.Random(), 1, "NGCF-2-f", new() { ["layer_sizes"] = new long[] { 32, 32 } }));
        Assert.Contains("NGCF: without transform (NGCF-f) every layer keeps the embedding size", e.Message);
    }

    [Fact]
    public void TheCatalogListsNgcfWithItsVariants()
    {
        using var catalog = PluginCatalog.Load(new[] { Path.Combine(RepoPaths.DefaultPlugins, "NGCF") });
        var model = catalog.Find("NGCF");
        Assert.Equal(new[] { "NGCF-1", "NGCF-2", "NGCF-3", "NGCF-4", "NGCF-2-sum", "NGCF-2-f", "NGCF-2-n", "NGCF-2-fn" },
                     model.Info.Variants.Select(v => v.Name));
        var fn = ParameterResolver.Resolve(model.Info, "NGCF-2-fn", new Dictionary<string, object>());
        Assert.False(fn.Bool("transform"));
        Assert.False(fn.Bool("nonlinearity"));
        Assert.Equal("sum", fn.Choice("combination"));
        Assert.Equal(new long[] { 64, 64, 64, 64 }, ParameterResolver.Resolve(model.Info, "NGCF-4", new Dictionary<string, object>()).IntList("layer_sizes"));
        Assert.Equal("norm", fn.Choice("adjacency"));
    }
}
