using CFBench.Core.Protocols;

namespace CFBench.Tests.Metrics;

/// <summary>
/// Checks the tie-exact grading against brute force: on small random score matrices full of ties, every order
/// consistent with the scores (all permutations of the items as tie-breaker) is graded directly; the mean over
/// orders must equal the expected policy, the minimum the pessimistic and the maximum the optimistic one.
/// </summary>
public class TiePolicyBruteForceTests
{
    private const int Items = 6;
    private static readonly int[] Ks = { 1, 2, 3, 5 };

    [Theory]
    [InlineData("full-ranking", 1)]
    [InlineData("full-ranking", 2)]
    [InlineData("strong-generalization", 3)]
    [InlineData("sampled", 4)]
    public void ExactPoliciesMatchEnumeration(string protocol, int seed)
    {
        var random = new Random(seed);
        const int users = 4;
        var scores = new float[users][];
        var known = new int[users][];
        var relevant = new int[users][];
        var negatives = protocol == "sampled" ? new int[users][] : null;
        for (int u = 0; u < users; u++)
        {
            scores[u] = Enumerable.Range(0, Items).Select(_ => (float)random.Next(3)).ToArray();
            known[u] = Enumerable.Range(0, Items).Where(_ => random.NextDouble() < 0.2).ToArray();
            relevant[u] = Enumerable.Range(0, Items).Where(i => !known[u].Contains(i) || random.NextDouble() < 0.3)
                .Where(_ => random.NextDouble() < 0.4).ToArray();
            if (relevant[u].Length == 0) relevant[u] = new[] { random.Next(Items) };
            if (negatives is not null) negatives[u] = Enumerable.Range(0, Items).Except(relevant[u]).ToArray();
        }
        var scenario = new MetricScenario(protocol, scores, known, relevant, negatives);
        bool masks = protocol != "sampled";
        var permutations = Permutations(Items).ToArray();

        foreach (var ties in new[] { TiePolicy.Expected, TiePolicy.Pessimistic, TiePolicy.Optimistic })
        {
            var result = scenario.Evaluate(ties, Ks);
            foreach (var k in Ks)
            foreach (var metric in new[] { "recall", "ndcg", "precision", "hr" })
            {
                double sum = 0;
                for (int u = 0; u < users; u++)
                {
                    var values = permutations.Select(p => Grade(metric, k, scores[u], masks ? known[u] : Array.Empty<int>(),
                        relevant[u], p, protocol == "strong-generalization")).ToArray();
                    sum += ties switch
                    {
                        TiePolicy.Expected => values.Average(),
                        TiePolicy.Pessimistic => values.Min(),
                        _ => values.Max(),
                    };
                }
                Assert.True(Math.Abs(sum / users - result.Means[$"{metric}@{k}"]) < 1e-9,
                    $"{protocol} {ties} {metric}@{k}: brute force {sum / users}, graded {result.Means[$"{metric}@{k}"]}");
            }
        }
    }

    /// <summary>One order: by score (masked last), ties broken by <paramref name="priority"/>.</summary>
    private static double Grade(string metric, int k, float[] scores, int[] masked, int[] relevant, int[] priority, bool minDenominator)
    {
        var order = Enumerable.Range(0, scores.Length)
            .OrderBy(i => masked.Contains(i) ? 1 : 0).ThenByDescending(i => scores[i]).ThenBy(i => priority[i]).ToArray();
        var hitRanks = Enumerable.Range(0, Math.Min(k, order.Length))
            .Where(r => relevant.Contains(order[r]) && !masked.Contains(order[r])).ToArray();
        double Gain(int r) => 1.0 / Math.Log2(r + 2);
        return metric switch
        {
            "recall" => hitRanks.Length / (double)(minDenominator ? Math.Min(k, relevant.Length) : relevant.Length),
            "precision" => hitRanks.Length / (double)k,
            "hr" => hitRanks.Length > 0 ? 1 : 0,
            _ => hitRanks.Sum(Gain) / Enumerable.Range(0, Math.Min(k, relevant.Length)).Sum(Gain),
        };
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        return Permute(a, 0);

        static IEnumerable<int[]> Permute(int[] a, int at)
        {
            if (at == a.Length) { yield return (int[])a.Clone(); yield break; }
            for (int i = at; i < a.Length; i++)
            {
                (a[at], a[i]) = (a[i], a[at]);
                foreach (var p in Permute(a, at + 1)) yield return p;
                (a[at], a[i]) = (a[i], a[at]);
            }
        }
    }
}
