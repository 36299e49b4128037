using CFBench.Core.Protocols;
using Xunit.Abstractions;

namespace CFBench.Tests.Metrics;

/// <summary>
/// The metric test table: every row is one (case, tie policy, metric) with its value worked out by hand from the
/// formula (G(r) = 1/log2(r + 2) is the gain at rank r, ranks from 0). The output of each row prints
/// <c>| case | ties | metric | expected | actual |</c>.
/// </summary>
public class MetricTableTests(ITestOutputHelper output)
{
    private static double G(int rank) => 1.0 / Math.Log2(rank + 2);
    private static double Idcg(int n) => Enumerable.Range(0, n).Sum(G);

    private static readonly float[] Descending = { .9f, .8f, .7f, .6f, .5f, .4f };
    private static readonly int[] None = MetricScenario.None;

    /// <summary>The cases, by name. Scores are per item; known items are masked (fold-in for strong generalization).</summary>
    public static readonly IReadOnlyDictionary<string, MetricScenario> Cases = new Dictionary<string, MetricScenario>
    {
        ["full: distinct scores, test {0,2,5}"] = new("full-ranking", new[] { Descending }, new[] { None }, new[] { new[] { 0, 2, 5 } }),
        ["full: |test|=4 > K=2, test {1,2,3,4}"] = new("full-ranking", new[] { Descending }, new[] { None }, new[] { new[] { 1, 2, 3, 4 } }),
        ["full: known {0,1} masked, test {3}"] = new("full-ranking", new[] { Descending }, new[] { new[] { 0, 1 } }, new[] { new[] { 3 } }),
        ["full: test item 0 is also known (masked), test {0,3}"] = new("full-ranking", new[] { Descending }, new[] { new[] { 0, 1 } }, new[] { new[] { 0, 3 } }),
        ["full: tie of 3 at ranks 1-3 straddles K=2, test {2}"] = new("full-ranking",
            new[] { new[] { .9f, .5f, .5f, .5f, .1f, 0f } }, new[] { None }, new[] { new[] { 2 } }),
        ["full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}"] = new("full-ranking",
            new[] { new[] { .5f, .5f, .5f, .5f, .1f } }, new[] { None }, new[] { new[] { 0, 1 } }),
        ["full: masked item inside the tie, known {1}, test {3}"] = new("full-ranking",
            new[] { new[] { .9f, .5f, .5f, .5f } }, new[] { new[] { 1 } }, new[] { new[] { 3 } }),
        ["full: tie of 2 at ranks 0-1 inside K=3, test {1}"] = new("full-ranking",
            new[] { new[] { .9f, .9f, .1f, 0f } }, new[] { None }, new[] { new[] { 1 } }),
        ["full: 3 items < K=5, test {2}"] = new("full-ranking", new[] { new[] { .3f, .2f, .1f } }, new[] { None }, new[] { new[] { 2 } }),
        ["full: 3 users, user 1 has no test items"] = new("full-ranking",
            new[] { Descending, Descending, Descending }, new[] { None, None, None }, new[] { new[] { 0 }, None, new[] { 5 } }),
        ["sampled: rank 2 of 6 candidates, known item 0 not masked"] = new("sampled",
            new[] { new[] { .9f, .7f, .5f, .6f, .4f, .3f, .99f, .99f } }, new[] { new[] { 0 } }, new[] { new[] { 3 } },
            new[] { new[] { 0, 1, 2, 4, 5 } }),
        ["sampled: held-out 3 among its negatives {0,3,4}, drop"] = new("sampled",
            new[] { new[] { .9f, .95f, .95f, .6f, .1f } }, new[] { None }, new[] { new[] { 3 } }, new[] { new[] { 0, 3, 4 } }, "drop"),
        ["sampled: held-out 3 among its negatives {0,3,4}, keep"] = new("sampled",
            new[] { new[] { .9f, .95f, .95f, .6f, .1f } }, new[] { None }, new[] { new[] { 3 } }, new[] { new[] { 0, 3, 4 } }, "keep"),
        ["strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}"] = new("strong-generalization",
            new[] { Descending }, new[] { new[] { 0 } }, new[] { new[] { 1, 3, 4, 5 } }),
        ["full (same data): fold-in {0} masked, test {1,3,4,5}"] = new("full-ranking",
            new[] { Descending }, new[] { new[] { 0 } }, new[] { new[] { 1, 3, 4, 5 } }),
    };

    private const string P = "pessimistic", O = "optimistic", E = "expected";

    public static TheoryData<string, string, string, double> Rows => new()
    {
        // Distinct scores: top 3 = items 0,1,2; relevant 0 and 2 at ranks 0 and 2. Every policy agrees.
        { "full: distinct scores, test {0,2,5}", E, "recall@3", 2.0 / 3 },
        { "full: distinct scores, test {0,2,5}", E, "precision@3", 2.0 / 3 },
        { "full: distinct scores, test {0,2,5}", E, "ndcg@3", (G(0) + G(2)) / Idcg(3) },
        { "full: distinct scores, test {0,2,5}", P, "ndcg@3", (G(0) + G(2)) / Idcg(3) },
        { "full: distinct scores, test {0,2,5}", E, "hr@3", 1 },
        { "full: distinct scores, test {0,2,5}", E, "recall@2", 1.0 / 3 },
        // |test| > K: recall divides by |test| = 4; IDCG over min(K, 4) = 2 positions.
        { "full: |test|=4 > K=2, test {1,2,3,4}", E, "recall@2", 1.0 / 4 },
        { "full: |test|=4 > K=2, test {1,2,3,4}", E, "precision@2", 1.0 / 2 },
        { "full: |test|=4 > K=2, test {1,2,3,4}", E, "ndcg@2", G(1) / Idcg(2) },
        { "full: |test|=4 > K=2, test {1,2,3,4}", E, "hr@2", 1 },
        // Masking: items 0,1 at -inf, so item 3 moves from rank 3 to rank 1.
        { "full: known {0,1} masked, test {3}", E, "recall@1", 0 },
        { "full: known {0,1} masked, test {3}", E, "recall@2", 1 },
        { "full: known {0,1} masked, test {3}", E, "ndcg@2", G(1) / Idcg(1) },
        { "full: known {0,1} masked, test {3}", E, "hr@1", 0 },
        // A masked test item can never be a hit but still counts in |test| = 2.
        { "full: test item 0 is also known (masked), test {0,3}", E, "recall@2", 1.0 / 2 },
        { "full: test item 0 is also known (masked), test {0,3}", E, "ndcg@2", G(1) / Idcg(2) },
        // Tie group of 3 (items 1,2,3) at ranks 1..3, 1 relevant, K=2: one slot of the group inside the top K.
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", P, "recall@2", 0 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", P, "ndcg@2", 0 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", P, "hr@2", 0 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", P, "ndcg@4", G(3) },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", O, "recall@2", 1 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", O, "ndcg@2", G(1) },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", O, "precision@2", 1.0 / 2 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", O, "hr@2", 1 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", E, "recall@2", 1.0 / 3 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", E, "ndcg@2", G(1) / 3 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", E, "precision@2", 1.0 / 3 / 2 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", E, "hr@2", 1.0 / 3 },
        { "full: tie of 3 at ranks 1-3 straddles K=2, test {2}", E, "ndcg@4", (G(1) + G(2) + G(3)) / 3 },
        // Tie group of 4 at ranks 0..3 holding both relevant items; |test| = 2.
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", P, "recall@2", 0 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", P, "hr@2", 0 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", P, "recall@3", 1.0 / 2 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", P, "ndcg@3", G(2) / Idcg(2) },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", O, "recall@2", 1 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", O, "ndcg@2", 1 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", O, "precision@2", 1 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "recall@2", 2.0 * 2 / 4 / 2 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "precision@2", 2.0 * 2 / 4 / 2 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "ndcg@2", 2.0 / 4 * (G(0) + G(1)) / Idcg(2) },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "hr@2", 1 - 1.0 / 6 }, // 1 - C(2,2)/C(4,2)
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "recall@3", 2.0 * 3 / 4 / 2 },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "ndcg@3", 2.0 / 4 * (G(0) + G(1) + G(2)) / Idcg(2) },
        { "full: tie of 4 at ranks 0-3, 2 relevant, test {0,1}", E, "hr@3", 1 }, // C(2,3) = 0
        // Masked item 1 ties with items 2,3 but does not count: the group is items 2,3 at ranks 1..2.
        { "full: masked item inside the tie, known {1}, test {3}", P, "hr@2", 0 },
        { "full: masked item inside the tie, known {1}, test {3}", O, "ndcg@2", G(1) },
        { "full: masked item inside the tie, known {1}, test {3}", E, "recall@2", 1.0 / 2 },
        { "full: masked item inside the tie, known {1}, test {3}", E, "ndcg@2", G(1) / 2 },
        { "full: masked item inside the tie, known {1}, test {3}", E, "hr@2", 1.0 / 2 },
        { "full: masked item inside the tie, known {1}, test {3}", P, "ndcg@3", G(2) },
        // A tie wholly inside the top K changes only the position.
        { "full: tie of 2 at ranks 0-1 inside K=3, test {1}", P, "ndcg@3", G(1) },
        { "full: tie of 2 at ranks 0-1 inside K=3, test {1}", O, "ndcg@3", G(0) },
        { "full: tie of 2 at ranks 0-1 inside K=3, test {1}", E, "ndcg@3", (G(0) + G(1)) / 2 },
        { "full: tie of 2 at ranks 0-1 inside K=3, test {1}", E, "recall@3", 1 },
        { "full: tie of 2 at ranks 0-1 inside K=3, test {1}", E, "hr@1", 1.0 / 2 },
        // Fewer items than K: precision still divides by K.
        { "full: 3 items < K=5, test {2}", E, "recall@5", 1 },
        { "full: 3 items < K=5, test {2}", E, "ndcg@5", G(2) },
        { "full: 3 items < K=5, test {2}", E, "precision@5", 1.0 / 5 },
        // Users without test items are not averaged in: mean over users 0 (hit at rank 0) and 2 (rank 5).
        { "full: 3 users, user 1 has no test items", E, "recall@1", (1 + 0) / 2.0 },
        { "full: 3 users, user 1 has no test items", E, "ndcg@6", (G(0) + G(5)) / 2 },
        // Sampled: candidates {3 (held-out), 0,1,2,4,5}; held-out .6 is below .9 and .7: rank 2. Items 6,7 (.99) are
        // not candidates; training item 0 is not masked.
        { "sampled: rank 2 of 6 candidates, known item 0 not masked", E, "hr@2", 0 },
        { "sampled: rank 2 of 6 candidates, known item 0 not masked", E, "hr@3", 1 },
        { "sampled: rank 2 of 6 candidates, known item 0 not masked", E, "ndcg@3", G(2) },
        { "sampled: rank 2 of 6 candidates, known item 0 not masked", E, "ndcg@10", G(2) },
        // Held-out item 3 (.6) is also a negative. drop: candidates {3,0,4}, rank 1.
        { "sampled: held-out 3 among its negatives {0,3,4}, drop", P, "hr@1", 0 },
        { "sampled: held-out 3 among its negatives {0,3,4}, drop", P, "hr@2", 1 },
        { "sampled: held-out 3 among its negatives {0,3,4}, drop", P, "ndcg@2", G(1) },
        { "sampled: held-out 3 among its negatives {0,3,4}, drop", E, "ndcg@2", G(1) },
        // keep: candidates {3,0,3,4}; the copy ties with the held-out item at ranks 1..2.
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", P, "hr@2", 0 },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", P, "ndcg@3", G(2) },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", O, "hr@2", 1 },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", O, "ndcg@2", G(1) },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", E, "hr@2", 1.0 / 2 },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", E, "ndcg@2", G(1) / 2 },
        { "sampled: held-out 3 among its negatives {0,3,4}, keep", E, "ndcg@3", (G(1) + G(2)) / 2 },
        // Strong generalization: fold-in 0 masked, held-out items at ranks 0,2,3,4. Recall divides by min(K, 4).
        { "strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}", E, "recall@2", 1.0 / 2 },
        { "strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}", E, "ndcg@2", G(0) / Idcg(2) },
        { "strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}", E, "recall@5", 4.0 / 4 },
        { "strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}", E, "ndcg@5", (G(0) + G(2) + G(3) + G(4)) / Idcg(4) },
        { "strong-gen: fold-in {0}, |held-out|=4, held-out {1,3,4,5}", E, "precision@2", 1.0 / 2 },
        // The same data under full ranking: recall divides by |test| = 4.
        { "full (same data): fold-in {0} masked, test {1,3,4,5}", E, "recall@2", 1.0 / 4 },
        { "full (same data): fold-in {0} masked, test {1,3,4,5}", E, "ndcg@2", G(0) / Idcg(2) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Row(string @case, string ties, string metric, double expected)
    {
        var scenario = Cases[@case];
        var policy = Enum.Parse<TiePolicy>(ties, ignoreCase: true);
        int k = int.Parse(metric[(metric.IndexOf('@') + 1)..]);
        var result = scenario.Evaluate(policy, new[] { k });
        var actual = result.Means[metric];
        output.WriteLine($"| {@case,-58} | {ties,-11} | {metric,-11} | {expected,9:F6} | {actual,9:F6} |");
        Assert.Equal(expected, actual, 1e-9);
    }

    /// <summary>All rows in order, as one table (what the closing note quotes); fails listing every mismatch.</summary>
    [Fact]
    public void WholeTable()
    {
        output.WriteLine($"| {"case",-58} | {"ties",-11} | {"metric",-11} | {"expected",9} | {"actual",9} |");
        output.WriteLine($"|{new string('-', 60)}|{new string('-', 13)}|{new string('-', 13)}|{new string('-', 11)}|{new string('-', 11)}|");
        var wrong = new List<string>();
        foreach (var row in Rows)
        {
            var (@case, ties, metric, expected) = ((string)row[0], (string)row[1], (string)row[2], (double)row[3]);
            int k = int.Parse(metric[(metric.IndexOf('@') + 1)..]);
            var actual = Cases[@case].Evaluate(Enum.Parse<TiePolicy>(ties, ignoreCase: true), new[] { k }).Means[metric];
            var mark = Math.Abs(expected - actual) <= 1e-9 ? "" : "  <-- WRONG";
            output.WriteLine($"| {@case,-58} | {ties,-11} | {metric,-11} | {expected,9:F6} | {actual,9:F6} |{mark}");
            if (mark != "") wrong.Add($"{@case} {ties} {metric}: expected {expected}, got {actual}");
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }
}
