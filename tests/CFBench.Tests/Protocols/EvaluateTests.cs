using CFBench.Contracts;
using CFBench.Core.Protocols;
using CFBench.Tests.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Tests.Protocols;

public class EvaluateTests
{
    private static MetricScenario RandomScenario(string protocol, int users, int items, int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, items).Select(_ => (float)random.Next(5)).ToArray()).ToArray();
        var known = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, items).Where(_ => random.NextDouble() < 0.2).ToArray()).ToArray();
        var relevant = Enumerable.Range(0, users).Select(u => Enumerable.Range(0, items)
            .Where(i => !known[u].Contains(i) && random.NextDouble() < (u % 4 == 3 ? 0 : 0.2)).ToArray()).ToArray();
        var negatives = protocol == "sampled"
            ? Enumerable.Range(0, users).Select(u => Enumerable.Range(0, items).Where(i => random.NextDouble() < 0.5).ToArray()).ToArray()
            : null;
        return new MetricScenario(protocol, scores, known, relevant, negatives);
    }

    [Theory]
    [InlineData("full-ranking")]
    [InlineData("sampled")]
    [InlineData("strong-generalization")]
    public void BatchingDoesNotChangeResults(string protocol)
    {
        var scenario = RandomScenario(protocol, users: 23, items: 17, seed: 3);
        var whole = scenario.Evaluate(TiePolicy.Expected, new[] { 3, 10 });
        var batched = scenario.Evaluate(TiePolicy.Expected, new[] { 3, 10 }, userBatch: 4);
        Assert.Equal(whole.Users, batched.Users);
        Assert.DoesNotContain(3, whole.Users); // user 3 has no relevant items
        foreach (var column in whole.Means.Keys)
        {
            Assert.Equal(whole.Means[column], batched.Means[column], 1e-12);
            Assert.Equal(whole.PerUser[column], batched.PerUser[column]);
        }
    }

    [Fact]
    public void ResultHasEveryColumnPerUserAlignedWithUsers()
    {
        var scenario = RandomScenario("full-ranking", users: 12, items: 9, seed: 8);
        var result = scenario.Evaluate(TiePolicy.Pessimistic, new[] { 2, 5 });
        Assert.Equal(new[] { "recall@2", "ndcg@2", "precision@2", "hr@2", "recall@5", "ndcg@5", "precision@5", "hr@5" }, result.Means.Keys);
        Assert.Equal("test", result.Target);
        foreach (var (column, mean) in result.Means)
        {
            Assert.Equal(result.Users.Length, result.PerUser[column].Length);
            Assert.Equal(mean, result.PerUser[column].Average(x => (double)x), 1e-6);
        }
    }

    [Fact]
    public void RequestsCarryHistoryAndCandidates()
    {
        var scenario = new MetricScenario("sampled",
            new[] { new[] { .1f, .2f, .3f, .4f, .5f }, new[] { .5f, .4f, .3f, .2f, .1f } },
            new[] { new[] { 0, 1 }, new[] { 4 } }, new[] { new[] { 2 }, new[] { 3 } }, new[] { new[] { 4 }, new[] { 0, 1, 3 } });
        using var model = new FixedScoreRecommender(scenario.Scores, device: MetricScenario.Device);
        scenario.Evaluate(TiePolicy.Expected, new[] { 1 }, model: model);
        var (users, history, candidates) = Assert.Single(model.Requests);
        Assert.Equal(new long[] { 0, 1 }, users);
        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 4 } }, history);
        // Relevant first, then negatives (the duplicate 3 dropped), padded with item 0.
        Assert.Equal(new long[,] { { 2, 4, 0 }, { 3, 0, 1 } }, candidates);
    }

    [Fact]
    public void DoesNotOverwriteATensorTheModelKeeps()
    {
        var scenario = RandomScenario("full-ranking", users: 5, items: 8, seed: 1);
        using var model = new FixedScoreRecommender(scenario.Scores, returnCachedTensor: true, device: MetricScenario.Device);
        var before = model.HeldScores();
        var result = scenario.Evaluate(TiePolicy.Expected, new[] { 3 }, model: model);
        Assert.Equal(before, model.HeldScores());
        var fresh = scenario.Evaluate(TiePolicy.Expected, new[] { 3 });
        Assert.Equal(fresh.Means, result.Means);
    }

    [Fact]
    public void WrongShapeAndNaNAreClearErrors()
    {
        var scenario = RandomScenario("full-ranking", users: 3, items: 4, seed: 2);
        var shape = Assert.Throws<InvalidOperationException>(() =>
            scenario.Evaluate(TiePolicy.Expected, new[] { 2 }, model: new LambdaModel(r => zeros(r.Count, 5))));
        Assert.Contains("Score returned [3, 5] for 3 users, expected [3, 4]", shape.Message);
        var nan = Assert.Throws<InvalidOperationException>(() =>
            scenario.Evaluate(TiePolicy.Expected, new[] { 2 }, model: new LambdaModel(r => full(r.Count, 4, float.NaN))));
        Assert.Contains("NaN", nan.Message);
    }

    [Fact]
    public void OneNaNAmongTheRankedScoresIsAnErrorButOneOnAMaskedItemIsNot()
    {
        var scenario = new MetricScenario("full-ranking",
            new[] { new[] { .1f, .2f, .3f, .4f, .5f }, new[] { .5f, .4f, .3f, .2f, .1f } },
            new[] { new[] { 0 }, new[] { 4 } }, new[] { new[] { 2 }, new[] { 3 } }, null);
        Tensor WithNaNAt(int user, int item)
        {
            var scores = tensor(scenario.Scores.SelectMany(row => row).ToArray(), new long[] { 2, 5 });
            scores[user, item] = tensor(float.NaN);
            return scores;
        }
        // Ranked (unmasked) and not the row's largest score: found all the same.
        var ranked = Assert.Throws<InvalidOperationException>(() =>
            scenario.Evaluate(TiePolicy.Expected, new[] { 2 }, model: new LambdaModel(_ => WithNaNAt(1, 2))));
        Assert.Contains("NaN", ranked.Message);
        // A training item of user 1 is masked before ranking: what the model scores there never counts.
        var masked = scenario.Evaluate(TiePolicy.Expected, new[] { 2 }, model: new LambdaModel(_ => WithNaNAt(1, 4)));
        Assert.Equal(scenario.Evaluate(TiePolicy.Expected, new[] { 2 }).Means, masked.Means);
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        var scenario = RandomScenario("full-ranking", users: 3, items: 4, seed: 2);
        var protocol = ProtocolFactory.Create(new ProtocolOptions());
        using var model = new FixedScoreRecommender(scenario.Scores, device: MetricScenario.Device);
        Assert.Throws<OperationCanceledException>(() =>
            protocol.Evaluate(model, scenario.Target(), MetricScenario.Device, new CancellationToken(canceled: true)));
        Assert.Empty(model.Requests);
    }

    private sealed class LambdaModel(Func<ScoreRequest, Tensor> score) : IRecommender
    {
        public Tensor Score(ScoreRequest request) => score(request);
        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
        public EpochReport TrainEpoch(CancellationToken cancel) => throw new NotSupportedException();
        public void SaveCheckpoint(Stream stream) { }
        public void LoadCheckpoint(Stream stream) { }
        public void Dispose() { }
    }
}
