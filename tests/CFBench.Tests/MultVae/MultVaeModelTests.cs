using CFBench.Contracts;
using CFBench.Core.Plugins;
using CFBench.Plugins.MultVAE;
using CFBench.Tests.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.MultVae;

public class MultVaeModelTests
{
    private static readonly ModelInfo Info = new MultVaeProvider().Info;

    private static readonly string[] VariantNames =
    {
        "Mult-VAE-PR", "Gaussian-VAE-PR", "Logistic-VAE-PR", "Mult-DAE", "Gaussian-DAE", "Logistic-DAE", "Mult-VAE-beta1",
    };

    public static readonly TheoryData<string> Variants = new(VariantNames);

    /// <summary>A variant with small layers and batches of 50 users (4 updates per epoch on the synthetic data).</summary>
    private static MultVaeRecommender Create(TrainingSet train, long seed, string variant = "Mult-VAE-PR",
        Dictionary<string, object>? overrides = null)
    {
        var values = new Dictionary<string, object> { ["batch"] = 50L, ["latent"] = 16L };
        if (Info.Variant(variant)!.Parameters.ContainsKey("hidden") is false) values["hidden"] = new long[] { 32 };
        foreach (var (k, v) in overrides ?? new()) values[k] = v;
        var model = new MultVaeRecommender();
        model.Initialize(train, ParameterResolver.Resolve(Info, variant, values), SyntheticData.Cpu(seed));
        return model;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static bool SameParameters(MultVaeRecommender a, MultVaeRecommender b) =>
        a.Network.Named.Zip(b.Network.Named).All(pair => Same(pair.First.Parameter, pair.Second.Parameter));

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryVariantTrainsAndItsLossFalls(string variant)
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 5, variant, new() { ["lr"] = 0.01 });
        var losses = Enumerable.Range(0, 8).Select(_ => model.TrainEpoch(CancellationToken.None).Loss).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < losses[0] * 0.98, $"{variant}: losses {string.Join(", ", losses)}");
    }

    [Fact]
    public void TheCatalogListsTheSevenVariantsAndTheyResolveAsTheNotebook()
    {
        using var catalog = PluginCatalog.Load(new[] { Path.Combine(RepoPaths.DefaultPlugins, "MultVAE") });
        var model = catalog.Find("MultVAE");
        Assert.True(model.Info.Inductive);
        Assert.Equal(VariantNames, model.Info.Variants.Select(v => v.Name));
        var dae = MultVaeOptions.From(ParameterResolver.Resolve(model.Info, "Logistic-DAE", new Dictionary<string, object>()));
        Assert.Equal((Architecture.Dae, Likelihood.Logistic, 0.01 / 500, 200), (dae.Architecture, dae.Likelihood, dae.L2, dae.Latent));
        Assert.Empty(dae.Hidden);
        var vae = MultVaeOptions.From(ParameterResolver.Resolve(model.Info, "Mult-VAE-PR", new Dictionary<string, object>()));
        Assert.Equal(new[] { 600 }, vae.Hidden);
        Assert.Equal((0.2, 200_000L, 500, 0.5, 0.0), (vae.AnnealCap, vae.TotalAnnealSteps, vae.BatchSize, vae.Dropout, vae.L2));
    }

    [Theory]
    [InlineData("Mult-VAE-PR")]
    [InlineData("Mult-DAE")]
    public void ScoresAreTheDecoderOfTheMeanOnTheDenseNormalisedRow(string variant)
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 3, variant);
        model.TrainEpoch(CancellationToken.None);
        var users = new long[] { 0, 7, 199 };
        using var scores = model.Score(Requests.Training(train, users));

        // Dense reference: x/‖x‖, then the layers by hand; the VAE's z is the first half of the encoder output (μ).
        using var scope = NewDisposeScope();
        var dense = global::CFBench.Sdk.UserRows.Dense(train.UserItems, users.Select(u => (int)u).ToArray(), CPU);
        Tensor h = dense / dense.sum(1, keepdim: true).sqrt();
        var named = model.Network.Named.ToDictionary(p => p.Name, p => (Tensor)p.Parameter.detach());
        int encoderLayers = named.Keys.Count(k => k.StartsWith("encoder")) / 2, decoderLayers = named.Keys.Count(k => k.StartsWith("decoder")) / 2;
        bool vae = variant.Contains("VAE");
        for (int k = 0; k < encoderLayers; k++)
        {
            h = h.mm(named[$"encoder{k}.weight"]) + named[$"encoder{k}.bias"];
            if (k + 1 < encoderLayers || !vae) h = h.tanh();
        }
        if (vae) h = h.narrow(1, 0, 16);
        for (int k = 0; k < decoderLayers; k++)
        {
            h = h.mm(named[$"decoder{k}.weight"]) + named[$"decoder{k}.bias"];
            if (k + 1 < decoderLayers) h = h.tanh();
        }
        var difference = (h - scores).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"max |difference| {difference}");
    }

    [Fact]
    public void DropoutAndSamplingOnlyInTraining()
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 4);
        using var rows = SparseRows.From(train.UserItems, new[] { 1, 2, 3 }, CPU);
        using (no_grad())
        {
            using var evaluation1 = model.Loss(rows, 0.2, training: false);
            using var evaluation2 = model.Loss(rows, 0.2, training: false);
            using var training1 = model.Loss(rows, 0.2, training: true);
            using var training2 = model.Loss(rows, 0.2, training: true);
            Assert.True(Same(evaluation1, evaluation2));
            Assert.False(Same(training1, training2));   // fresh dropout mask and ε each call
        }
        using var first = model.Score(Requests.Training(train, new long[] { 1, 2, 3 }));
        using var second = model.Score(Requests.Training(train, new long[] { 1, 2, 3 }));
        Assert.True(Same(first, second));
    }

    [Fact]
    public void BetaIsAnnealedPerUpdateAndRecordedPerEpoch()
    {
        var train = SyntheticData.Create();   // 200 users, batches of 50: 4 updates per epoch
        using var model = Create(train, 1, "Mult-VAE-PR", new() { ["total_anneal_steps"] = 40L });
        var betas = Enumerable.Range(0, 3).Select(_ => model.TrainEpoch(CancellationToken.None).Extra!["beta"]).ToList();
        // The last update of epoch e is update 4e − 1 (0-based), with β = min(0.2, updates before it / 40).
        Assert.Equal(new[] { 3 / 40.0, 7 / 40.0, 0.2 }, betas);
        Assert.Equal(12, model.Updates);

        using var fixedBeta = Create(train, 1, "Mult-VAE-beta1");
        Assert.Equal(1.0, fixedBeta.TrainEpoch(CancellationToken.None).Extra!["beta"]);
        using var dae = Create(train, 1, "Mult-DAE");
        Assert.Null(dae.TrainEpoch(CancellationToken.None).Extra);
    }

    [Fact]
    public void HeldOutUsersAreScoredFromTheirHistory()
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 2);
        model.TrainEpoch(CancellationToken.None);
        var users = new long[] { 4, 9 };
        using var asTraining = model.Score(Requests.Training(train, users));
        // The same rows as held-out fold-in rows: no ids, the same scores.
        var foldIn = train.UserItems.SelectRows(new[] { 4, 9 });
        using var asHeldOut = model.Score(ScoreRequest.ForHeldOutUsers(foldIn));
        Assert.True(Same(asTraining, asHeldOut));
        // Another history gives other scores; candidates gather from the full rows.
        var other = InteractionMatrix.FromPairs(2, train.Items, new[] { 0, 0, 1 }, new[] { 1, 50, 99 });
        using var fromOther = model.Score(ScoreRequest.ForHeldOutUsers(other));
        Assert.False(Same(asHeldOut, fromOther));
        using var candidates = tensor(new long[] { 0, 99, 5, 6 }, dtype: int64).view(2, 2);
        using var picked = model.Score(ScoreRequest.ForHeldOutUsers(other, candidates));
        using var gathered = fromOther.gather(1, candidates);
        Assert.True(Same(gathered, picked));
    }

    [Fact]
    public void AHistoryOverAnotherItemCountIsRefused()
    {
        var train = SyntheticData.Create();
        using var model = Create(train, 2);
        var wrong = InteractionMatrix.FromPairs(1, train.Items + 1, new[] { 0 }, new[] { 3 });
        var e = Assert.Throws<ArgumentException>(() => model.Score(ScoreRequest.ForHeldOutUsers(wrong)));
        Assert.Contains("MultVAE", e.Message);
    }

    [Theory]
    [InlineData("Mult-VAE-PR")]
    [InlineData("Mult-DAE")]
    public void TheSeedFixesInitialisationOrderDropoutAndNoise(string variant)
    {
        var train = SyntheticData.Create();
        using var a = Create(train, 7, variant);
        using var b = Create(train, 7, variant);
        using var c = Create(train, 8, variant);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var la = a.TrainEpoch(CancellationToken.None).Loss;
            Assert.Equal(la, b.TrainEpoch(CancellationToken.None).Loss);
            Assert.NotEqual(la, c.TrainEpoch(CancellationToken.None).Loss);
        }
        Assert.True(SameParameters(a, b));
        Assert.False(SameParameters(a, c));
    }

    [Theory]
    [InlineData("Mult-VAE-PR")]
    [InlineData("Gaussian-DAE")]
    public void ResumingFromACheckpointContinuesBitIdentically(string variant)
    {
        var train = SyntheticData.Create();
        using var original = Create(train, 3, variant, new() { ["total_anneal_steps"] = 10L });
        original.TrainEpoch(CancellationToken.None);
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var next = original.TrainEpoch(CancellationToken.None);
        var after = original.TrainEpoch(CancellationToken.None);

        using var resumed = Create(train, 99, variant, new() { ["total_anneal_steps"] = 10L });   // another seed: all from the checkpoint
        checkpoint.Position = 0;
        resumed.LoadCheckpoint(checkpoint);
        var resumedNext = resumed.TrainEpoch(CancellationToken.None);
        Assert.Equal(next.Loss, resumedNext.Loss);
        Assert.Equal(next.Extra?.GetValueOrDefault("beta"), resumedNext.Extra?.GetValueOrDefault("beta"));
        Assert.Equal(after.Loss, resumed.TrainEpoch(CancellationToken.None).Loss);
        Assert.Equal(original.Updates, resumed.Updates);
        Assert.True(SameParameters(original, resumed));
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefused()
    {
        using var model = Create(SyntheticData.Create(), 1);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) writer.Write("CFBench.LightGCN/1");
        stream.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => model.LoadCheckpoint(stream));
        Assert.Contains("not a MultVAE checkpoint", e.Message);
    }

    [Fact]
    public void CancellationStopsAnEpoch()
    {
        using var model = Create(SyntheticData.Create(), 1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.TrainEpoch(cancel.Token));
    }
}
