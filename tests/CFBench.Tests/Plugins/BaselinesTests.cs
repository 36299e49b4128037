using CFBench.Contracts;
using CFBench.Core.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Plugins;

/// <summary>The Baselines plugin loaded from the default plugin folder, once per test class.</summary>
public sealed class BaselinesCatalog : IDisposable
{
    public PluginCatalog Catalog { get; } = PluginCatalog.Load(new[] { Path.Combine(RepoPaths.DefaultPlugins, "Baselines") });

    /// <summary>A model initialised on CPU with the given seed and parameter overrides.</summary>
    public IRecommender Create(string name, TrainingSet train, long seed, Dictionary<string, object>? overrides = null)
    {
        var model = Catalog.Find(name);
        var recommender = model.Provider.Create();
        recommender.Initialize(train, ParameterResolver.Resolve(model.Info, null, overrides ?? new()), SyntheticData.Cpu(seed));
        return recommender;
    }

    public void Dispose() => Catalog.Dispose();
}

public class BaselinesTests(BaselinesCatalog baselines) : IClassFixture<BaselinesCatalog>
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static readonly Dictionary<string, object> SmallBatches = new() { ["batch_size"] = 256L };

    [Fact]
    public void MostPopScoresItemsByTrainingCount()
    {
        var train = SyntheticData.Create();
        using var model = baselines.Create("MostPop", train, 1);
        model.TrainEpoch(CancellationToken.None);
        using var scores = model.Score(Requests.Training(train, new long[] { 3, 4 }));
        var counts = train.UserItems.ColumnCounts().Select(c => (float)c).ToArray();
        Assert.Equal(counts, scores[0].data<float>().ToArray());
        Assert.Equal(counts, scores[1].data<float>().ToArray());

        // Held-out users (no training id) are scored from their fold-in history.
        var history = InteractionMatrix.FromPairs(1, train.Items, new[] { 0 }, new[] { 5 });
        using var heldOut = model.Score(ScoreRequest.ForHeldOutUsers(history));
        Assert.Equal(counts, heldOut[0].data<float>().ToArray());
    }

    [Theory]
    [InlineData("MostPop")]
    [InlineData("BPR-MF")]
    [InlineData("EASE")]
    public void CandidateScoresAreTheFullScoresGathered(string name)
    {
        var train = SyntheticData.Create();
        using var model = baselines.Create(name, train, 5, name == "BPR-MF" ? SmallBatches : null);
        model.TrainEpoch(CancellationToken.None);
        var users = new long[] { 0, 7, 42 };
        using var full = model.Score(Requests.Training(train, users));
        Assert.Equal(new long[] { 3, train.Items }, full.shape);
        using var candidates = tensor(new long[] { 1, 50, 99, 0, 3, 3, 98, 10, 20 }, dtype: int64).view(3, 3);
        using var picked = model.Score(Requests.Training(train, users, candidates));
        using var expected = full.gather(1, candidates);
        Assert.Equal(new long[] { 3, 3 }, picked.shape);
        Assert.True(picked.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void BprMfIsDeterministicPerSeed()
    {
        var train = SyntheticData.Create();
        double[] Losses(long seed)
        {
            using var model = baselines.Create("BPR-MF", train, seed, SmallBatches);
            return Enumerable.Range(0, 3).Select(_ => model.TrainEpoch(CancellationToken.None).Loss).ToArray();
        }
        var a = Losses(11);
        Assert.Equal(a, Losses(11));
        Assert.NotEqual(a, Losses(12));
    }

    [Fact]
    public void BprMfLossFallsAndRanksTrainingItemsAboveOthers()
    {
        var train = SyntheticData.Create();
        using var model = baselines.Create("BPR-MF", train, 1, new() { ["batch_size"] = 256L, ["lr"] = 0.01 });
        var losses = Enumerable.Range(0, 15).Select(_ => model.TrainEpoch(CancellationToken.None)).ToList();
        Assert.Equal(train.Interactions, losses[0].Samples);
        Assert.InRange(losses[0].Loss, 0.5, 0.75); // starts near ln 2 with small embeddings
        Assert.True(losses[^1].Loss < 0.8 * losses[0].Loss, $"loss {losses[0].Loss} -> {losses[^1].Loss}");

        // A user's training items outscore the items they never touched, on average.
        using var scores = model.Score(Requests.Training(train, Enumerable.Range(0, train.Users).Select(u => (long)u).ToArray()));
        var s = scores.data<float>().ToArray();
        double seen = 0, unseen = 0;
        long nSeen = 0, nUnseen = 0;
        for (int u = 0; u < train.Users; u++)
            for (int i = 0; i < train.Items; i++)
                if (train.UserItems.Contains(u, i)) { seen += s[u * train.Items + i]; nSeen++; }
                else { unseen += s[u * train.Items + i]; nUnseen++; }
        Assert.True(seen / nSeen > unseen / nUnseen);
    }

    [Fact]
    public void BprMfContinuedFromACheckpointMatchesUninterruptedTraining()
    {
        var train = SyntheticData.Create();
        var users = new long[] { 0, 1, 2 };

        using var straight = baselines.Create("BPR-MF", train, 21, SmallBatches);
        var expected = Enumerable.Range(0, 4).Select(_ => straight.TrainEpoch(CancellationToken.None).Loss).ToArray();
        using var expectedScores = straight.Score(Requests.Training(train, users));

        var checkpoint = new MemoryStream();
        var resumedLosses = new List<double>();
        using (var first = baselines.Create("BPR-MF", train, 21, SmallBatches))
        {
            resumedLosses.Add(first.TrainEpoch(CancellationToken.None).Loss);
            resumedLosses.Add(first.TrainEpoch(CancellationToken.None).Loss);
            first.SaveCheckpoint(checkpoint);
        }
        checkpoint.Position = 0;
        // A different seed: everything that matters must come from the checkpoint.
        using var resumed = baselines.Create("BPR-MF", train, 999, SmallBatches);
        resumed.LoadCheckpoint(checkpoint);
        resumedLosses.Add(resumed.TrainEpoch(CancellationToken.None).Loss);
        resumedLosses.Add(resumed.TrainEpoch(CancellationToken.None).Loss);

        Assert.Equal(expected, resumedLosses);
        using var resumedScores = resumed.Score(Requests.Training(train, users));
        Assert.True(Same(resumedScores, expectedScores));
    }

    [Fact]
    public void EaseSatisfiesItsClosedFormConditions()
    {
        // Enough users × items that the Gram matrix is built in more than one block.
        var train = SyntheticData.Create(users: 17_000, items: 1_000, minItems: 2, maxItems: 8);
        const double lambda = 50;
        using var model = baselines.Create("EASE", train, 1, new() { ["lambda"] = lambda });
        model.TrainEpoch(CancellationToken.None);

        // Scoring a history of the single item i gives row i of B.
        var identity = InteractionMatrix.FromPairs(train.Items, train.Items, Enumerable.Range(0, train.Items).ToArray(), Enumerable.Range(0, train.Items).ToArray());
        using var b = model.Score(ScoreRequest.ForHeldOutUsers(identity)).to(float64);
        Assert.Equal(0.0, b.diagonal().abs().max().item<double>());

        // Stationarity of min |X − XB|² + λ|B|² s.t. diag(B) = 0: off the diagonal, (XᵀX + λI)B − XᵀX = 0.
        var gram = new double[train.Items * train.Items];
        for (int u = 0; u < train.Users; u++)
            foreach (var i in train.UserItems.Row(u))
                foreach (var j in train.UserItems.Row(u))
                    gram[i * train.Items + j]++;
        using var g = tensor(gram, dtype: float64).view(train.Items, train.Items);
        using var residual = (g + eye(train.Items, dtype: float64) * lambda).matmul(b) - g;
        residual.diagonal().zero_();
        var relative = residual.abs().max().item<double>() / g.abs().max().item<double>();
        Assert.True(relative < 1e-4, $"relative residual {relative}");
        // And B is not trivially zero.
        Assert.True(b.abs().max().item<double>() > 1e-3);
    }

    [Fact]
    public void EaseScoresFromTheRequestHistoryAndSurvivesACheckpoint()
    {
        var train = SyntheticData.Create();
        using var model = baselines.Create("EASE", train, 1);
        model.TrainEpoch(CancellationToken.None);

        var users = new long[] { 3, 8 };
        using var fromTraining = model.Score(Requests.Training(train, users));
        using var fromHistory = model.Score(ScoreRequest.ForTrainingUsers(users, train.UserItems.SelectRows(new[] { 3, 8 })));
        Assert.True(Same(fromTraining, fromHistory));
        var other = InteractionMatrix.FromPairs(2, train.Items, new[] { 0, 1 }, new[] { 1, 2 });
        using var fromOther = model.Score(ScoreRequest.ForTrainingUsers(users, other));
        Assert.False(Same(fromOther, fromTraining));

        var checkpoint = new MemoryStream();
        model.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        using var restored = baselines.Create("EASE", train, 2);
        restored.LoadCheckpoint(checkpoint);
        using var restoredScores = restored.Score(Requests.Training(train, users));
        Assert.True(Same(restoredScores, fromTraining));
    }
}
