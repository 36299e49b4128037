using CFBench.Contracts;
using CFBench.Core.Protocols;
using TorchSharp;

namespace CFBench.Tests.Metrics;

/// <summary>A small hand-checkable grading case: per user, the scores of every item, the known (masked or
/// fold-in) items, the relevant items and, for the sampled protocol, the negatives. Row u is user u.</summary>
public sealed record MetricScenario(
    string Protocol,
    float[][] Scores,
    int[][] Known,
    int[][] Relevant,
    int[][]? Negatives = null,
    string DuplicateNegative = "drop")
{
    public int Items => Scores[0].Length;

    /// <summary>Where scenarios are graded: CPU unless <c>CFBENCH_TEST_DEVICE</c> names another device (e.g. <c>cuda</c>),
    /// so the same cases can be checked on a GPU machine.</summary>
    public static torch.Device Device { get; } = torch.device(Environment.GetEnvironmentVariable("CFBENCH_TEST_DEVICE") is { Length: > 0 } d ? d : "cpu");

    public EvaluationTarget Target()
    {
        var users = Enumerable.Range(0, Scores.Length).ToArray();
        return new EvaluationTarget("test", users, Matrix(Known), Matrix(Relevant),
            Negatives is null ? null : Matrix(Negatives),
            Protocol == "strong-generalization" ? ScoredUsers.HeldOut : ScoredUsers.Training);
    }

    public EvaluationResult Evaluate(TiePolicy ties, IReadOnlyList<int> ks, int userBatch = 4096, IRecommender? model = null)
    {
        var options = new ProtocolOptions
        {
            Name = Protocol,
            K = ks,
            Metrics = new[] { "recall", "ndcg", "precision", "hr" },
            Ties = ties,
            DuplicateNegative = DuplicateNegative,
            UserBatch = userBatch,
        };
        using var owned = model is null ? new FixedScoreRecommender(Scores, device: Device) : null;
        return ProtocolFactory.Create(options).Evaluate(model ?? owned!, Target(), Device);
    }

    public InteractionMatrix Matrix(int[][] rows)
    {
        var r = rows.SelectMany((items, u) => items.Select(_ => u)).ToArray();
        var c = rows.SelectMany(items => items).ToArray();
        return InteractionMatrix.FromPairs(rows.Length, Items, r, c);
    }

    public static int[] None => Array.Empty<int>();
}
