using CFBench.Core.Protocols;
using CFBench.Tests.Metrics;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 10: -inf marks masked entries, so a model's own -inf scores must not be taken for masked
/// ones. A model scoring -inf everywhere ties every item, exactly as an all-zero model does.</summary>
public class MinusInfinityScoresTests
{
    private static MetricScenario Scenario(string protocol, float score) => new(protocol,
        Scores: Enumerable.Range(0, 3).Select(_ => Enumerable.Repeat(score, 8).ToArray()).ToArray(),
        Known: new[] { new[] { 0, 1 }, new[] { 2 }, MetricScenario.None },
        Relevant: new[] { new[] { 3 }, new[] { 4, 5 }, new[] { 7 } },
        Negatives: protocol == "sampled" ? new[] { new[] { 0, 6 }, new[] { 1, 6, 7 }, new[] { 2, 3 } } : null);

    [Theory]
    [InlineData("full-ranking", TiePolicy.Expected)]
    [InlineData("full-ranking", TiePolicy.Pessimistic)]
    [InlineData("full-ranking", TiePolicy.Optimistic)]
    [InlineData("sampled", TiePolicy.Expected)]
    [InlineData("strong-generalization", TiePolicy.Pessimistic)]
    public void MinusInfinityEverywhereGradesLikeAllZeros(string protocol, TiePolicy ties)
    {
        var zeros = Scenario(protocol, 0f).Evaluate(ties, new[] { 1, 8 });
        var minusInfinity = Scenario(protocol, float.NegativeInfinity).Evaluate(ties, new[] { 1, 8 });
        Assert.True(zeros.Means["hr@8"] > 0); // the all-zero model does reach the top 8: the comparison can fail
        Assert.Equal(zeros.Means, minusInfinity.Means);
    }

    [Fact]
    public void AnItemScoredMinusInfinityStillRanksAboveMaskedItems()
    {
        // Items 0-2 are known (masked); the model ranks item 3 (relevant) last of the rest, at -inf: rank 5 of 5.
        var scenario = new MetricScenario("full-ranking",
            new[] { new[] { 9f, 9f, 9f, float.NegativeInfinity, 1f, 2f, 3f, 4f } },
            new[] { new[] { 0, 1, 2 } }, new[] { new[] { 3 } });
        var result = scenario.Evaluate(TiePolicy.Pessimistic, new[] { 4, 5 });
        Assert.Equal(0.0, result.Means["hr@4"]);
        Assert.Equal(1.0, result.Means["hr@5"]);
    }
}
