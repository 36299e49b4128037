using CFBench.Contracts;
using CFBench.Core.Plugins;
using CFBench.Plugins.NCF;
using CFBench.Tests.LightGcn;
using CFBench.Tests.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Ncf;

/// <summary>GMF, MLP and NeuMF on tiny random data: shapes, the layer list's checks, pretraining, determinism and
/// checkpoint resume.</summary>
public class NcfModelTests
{
    private static readonly NcfProvider Provider = new();

    private static TrainingSet Train() => LightGcnGraphs.Random(users: 24, items: 18, edges: 90, seed: 5);

    private static NcfRecommender Create(TrainingSet train, string variant, long seed, Dictionary<string, object>? overrides = null,
        IReadOnlyDictionary<string, PretrainedWeights>? upstream = null)
    {
        var values = new Dictionary<string, object> { ["batch_size"] = 16L };
        foreach (var (k, v) in overrides ?? new()) values[k] = v;
        var model = new NcfRecommender();
        model.Initialize(train, ParameterResolver.Resolve(Provider.Info, variant, values),
            new RunContext(CPU, seed, _ => { }) { Upstream = upstream ?? new Dictionary<string, PretrainedWeights>() });
        return model;
    }

    private static float[] Values(NcfRecommender model) => model.Network.Parameters.Values.detach().data<float>().ToArray();

    [Theory]
    [InlineData("GMF-8", 8)]          // GMF: embeddings of f
    [InlineData("MLP3-8", 8)]         // MLP-3 at f=8: [64,32,16,8], embeddings 32
    [InlineData("MLP0-16", 16)]       // MLP-0: the concatenation itself goes to the prediction unit
    [InlineData("NeuMF-16", 32)]      // NeuMF: [GMF 16; MLP 16]
    public void EachModelScoresCandidatesAndAllItemsWithTheDeclaredSizes(string variant, int predictionInputs)
    {
        var train = Train();
        using var model = Create(train, variant, 1);
        Assert.Equal(predictionInputs, model.Network.PredictionInputs);
        var report = model.TrainEpoch(CancellationToken.None);
        Assert.Equal(train.Interactions * 5L, report.Samples);
        Assert.True(double.IsFinite(report.Loss) && report.Loss > 0);
        var users = new long[] { 1, 4, 23 };
        using var full = model.Score(Requests.Training(train, users));
        Assert.Equal(new long[] { 3, train.Items }, full.shape);
        using var candidates = tensor(new long[] { 0, 17, 3, 5, 5, 1 }, dtype: int64).view(3, 2);
        using var picked = model.Score(Requests.Training(train, users, candidates));
        Assert.Equal(new long[] { 3, 2 }, picked.shape);
        LightGcnGraphs.AssertClose(full.gather(1, candidates), picked, 1e-6);
    }

    [Fact]
    public void MlpEmbeddingsAreHalfTheFirstLayerAsInTheOfficialCode()
    {
        using var model = Create(Train(), "MLP3-8", 1);
        var p = model.Network.Parameters;
        Assert.Equal(new long[] { 24, 32 }, p["mlp_user"].shape);
        Assert.Equal(new long[] { 64, 32 }, p["layer1.weight"].shape);
        Assert.Equal(new long[] { 16, 8 }, p["layer3.weight"].shape);
        Assert.Equal(new long[] { 8, 1 }, p["prediction.weight"].shape);
        Assert.Throws<KeyNotFoundException>(() => p["layer4.weight"]);
        Assert.Equal(new long[] { 64, 32, 16, 8 }, NcfProvider.Tower(8, 3));
        Assert.Equal(new long[] { 8 }, NcfProvider.Tower(8, 0));
    }

    [Fact]
    public void EmbeddingRowsAddTheirGradientIntoTheFlatGradientAsAutogradWould()
    {
        var layout = new FlatLayout();
        layout.Add("table", 6, 3);
        layout.Add("weight", 3, 1);
        using var p = new FlatParameters(layout, CPU);
        using (no_grad()) p.Values.copy_(arange(p.Values.shape[0], dtype: float32) * 0.1);
        using var indices = tensor(new long[] { 4, 1, 4, 0 });
        using var rows = p.Rows("table", indices);
        using var loss = rows.mm(p["weight"]).square().sum();
        p.ZeroGradients();
        loss.backward();

        using var table = p["table"].detach().clone().requires_grad_(true);
        using var weight = p["weight"].detach().clone().requires_grad_(true);
        using var expected = table.index_select(0, indices).mm(weight).square().sum();
        expected.backward();
        LightGcnGraphs.AssertClose(table.grad!, p.Gradients.narrow(0, 0, 18).view(6, 3), 1e-6);
        LightGcnGraphs.AssertClose(weight.grad!, p.Gradients.narrow(0, 18, 3).view(3, 1), 1e-6);
        Assert.Equal(0f, p.Gradients.narrow(0, 6, 3).abs().sum().item<float>());   // row 2 was not looked up
    }

    [Fact]
    public void InitialisationFollowsKeras()
    {
        using var model = Create(Train(), "NeuMF-8", 3);
        var p = model.Network.Parameters;
        using var noGrad = no_grad();
        var std = p["mf_user"].std().item<float>();
        Assert.InRange(std, 0.007, 0.013);                                       // N(0, 0.01)
        Assert.True(p["layer1.weight"].abs().max().item<float>() <= Math.Sqrt(6.0 / (64 + 32)));   // glorot_uniform
        Assert.True(p["layer1.weight"].abs().max().item<float>() > 0.5 * Math.Sqrt(6.0 / (64 + 32)));
        Assert.True(p["prediction.weight"].abs().max().item<float>() <= Math.Sqrt(3.0 / 16));    // lecun_uniform
        Assert.Equal(0f, p["layer1.bias"].abs().sum().item<float>());
        Assert.Equal(0f, p["prediction.bias"].abs().sum().item<float>());
    }

    [Theory]
    [InlineData("[63,32,16,8]", "first entry (63)", "even")]
    [InlineData("[64,32,48,8]", "entry 2 (48) is wider than entry 1 (32)", "tower")]
    [InlineData("[64,32,16]", "last layer (16)", "factors=16")]
    public void BadLayerListsStopWithAOneLineMessage(string layers, string expected, string hint)
    {
        var e = Assert.Throws<ArgumentException>(() => Create(Train(), "MLP3-8", 1, new() { ["layers"] = layers }));
        Assert.Contains(expected, e.Message);
        Assert.Contains(hint, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void PretrainingWithoutUpstreamRunsStops()
    {
        var e = Assert.Throws<ArgumentException>(() => Create(Train(), "NeuMF-pre-8", 1));
        Assert.Contains("'gmf' and an 'mlp' upstream run", e.Message);
    }

    private static PretrainedWeights Export(NcfRecommender model, string source) =>
        new(source, model.ExportWeights().ToDictionary(w => w.Key, w => w.Value.clone()));

    [Fact]
    public void PretrainedNeuMFStartsFromGmfAndMlpWithHalfWeightedPrediction()
    {
        var train = Train();
        using var gmf = Create(train, "GMF-8", 11);
        using var mlp = Create(train, "MLP3-8", 12);
        gmf.TrainEpoch(CancellationToken.None);
        mlp.TrainEpoch(CancellationToken.None);
        using var gmfWeights = Export(gmf, "gmf run");
        using var mlpWeights = Export(mlp, "mlp run");
        using var neumf = Create(train, "NeuMF-pre-8", 13, upstream: new Dictionary<string, PretrainedWeights> { ["gmf"] = gmfWeights, ["mlp"] = mlpWeights });
        var p = neumf.Network.Parameters;
        LightGcnGraphs.AssertClose(gmfWeights.Get("mf_item"), p["mf_item"], 0);
        LightGcnGraphs.AssertClose(mlpWeights.Get("layer2.weight"), p["layer2.weight"], 0);

        // At step 0 NeuMF's logit is the mean of GMF's and MLP's logits: 0.5·(h_G·φ_G + b_G) + 0.5·(h_M·φ_M + b_M).
        var users = new long[] { 0, 7, 19 };
        using var candidates = tensor(new long[] { 2, 9, 4, 4, 17, 0 }, dtype: int64).view(3, 2);
        using var fused = neumf.Score(Requests.Training(train, users, candidates));
        using var fromGmf = gmf.Score(Requests.Training(train, users, candidates));
        using var fromMlp = mlp.Score(Requests.Training(train, users, candidates));
        LightGcnGraphs.AssertClose((fromGmf + fromMlp) * 0.5, fused, 1e-6);

        using var scratch = Create(train, "NeuMF-8", 13);
        using var scratchScores = scratch.Score(Requests.Training(train, users, candidates));
        Assert.False(scratchScores.allclose(fused, 1e-3, 1e-3));
    }

    [Fact]
    public void PretrainingChecksTheUpstreamShapes()
    {
        var train = Train();
        using var gmf = Create(train, "GMF-16", 1);
        using var mlp = Create(train, "MLP3-8", 2);
        using var gmfWeights = Export(gmf, "gmf run 16");
        using var mlpWeights = Export(mlp, "mlp run");
        var e = Assert.Throws<InvalidDataException>(() => Create(train, "NeuMF-pre-8", 3,
            upstream: new Dictionary<string, PretrainedWeights> { ["gmf"] = gmfWeights, ["mlp"] = mlpWeights }));
        Assert.Contains("gmf run 16: weight 'mf_user' is [24, 16], expected [24, 8]", e.Message);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void SameSeedSameLossesDifferentSeedDifferent(string optimizer)
    {
        var train = Train();
        var options = new Dictionary<string, object> { ["optimizer"] = optimizer };
        using var a = Create(train, "NeuMF-8", 7, options);
        using var b = Create(train, "NeuMF-8", 7, options);
        using var c = Create(train, "NeuMF-8", 8, options);
        var before = Values(a);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var (la, lb, lc) = (a.TrainEpoch(CancellationToken.None).Loss, b.TrainEpoch(CancellationToken.None).Loss, c.TrainEpoch(CancellationToken.None).Loss);
            Assert.Equal(la, lb);
            Assert.NotEqual(la, lc);
        }
        Assert.Equal(Values(a), Values(b));
        Assert.NotEqual(before, Values(a));    // the optimiser moved the flat parameters
    }

    [Fact]
    public void AdamLowersTheLossOverEpochs()
    {
        using var model = Create(Train(), "NeuMF-8", 4, new() { ["lr"] = 0.01 });
        var first = model.TrainEpoch(CancellationToken.None).Loss;
        double last = first;
        for (int epoch = 0; epoch < 5; epoch++) last = model.TrainEpoch(CancellationToken.None).Loss;
        Assert.True(last < first - 0.05, $"loss {first} -> {last}");
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void ResumingFromACheckpointEndsBitIdentical(string optimizer)
    {
        var train = Train();
        var options = new Dictionary<string, object> { ["optimizer"] = optimizer };
        using var straight = Create(train, "NeuMF-8", 5, options);
        var losses = Enumerable.Range(0, 3).Select(_ => straight.TrainEpoch(CancellationToken.None).Loss).ToList();

        using var first = Create(train, "NeuMF-8", 5, options);
        first.TrainEpoch(CancellationToken.None);
        using var checkpoint = new MemoryStream();
        first.SaveCheckpoint(checkpoint);
        first.TrainEpoch(CancellationToken.None);   // diverges from what is saved: resuming must not see it
        checkpoint.Position = 0;
        using var resumed = Create(train, "NeuMF-8", 99, options);
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(losses[1], resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.Equal(losses[2], resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.Equal(Values(straight), Values(resumed));
    }
}
