using MathNet.Numerics.Distributions;

namespace CFBench.Core.Reporting.Statistics;

/// <summary>
/// Two-sided Wilcoxon signed-rank test on the differences <c>x[i] - y[i]</c>. Zero differences are dropped
/// (Wilcoxon's original treatment); tied |differences| get their average rank. The p-value is exact (the null
/// distribution of W+ enumerated) for up to <see cref="ExactLimit"/> non-zero differences without ties, else
/// the normal approximation with the tie-corrected variance and no continuity correction — accurate for the
/// thousands of users a recommender test set has.
/// </summary>
public static class WilcoxonSignedRank
{
    public const int ExactLimit = 50;

    /// <summary>Statistic is W+ (sum of the ranks of the positive differences); Pairs counts the non-zero differences.</summary>
    public static TestResult Test(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"paired samples differ in length ({x.Length} vs {y.Length})");
        var diffs = new List<double>(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - y[i];
            if (d != 0 && !double.IsNaN(d)) diffs.Add(d);
        }
        int n = diffs.Count;
        if (n == 0) return new TestResult(0, 1, 0);

        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(diffs[i])).ToArray();
        double wPlus = 0, tieTerm = 0;
        bool ties = false;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && Math.Abs(diffs[order[end]]) == Math.Abs(diffs[order[start]])) end++;
            double rank = (start + 1 + end) / 2.0; // average of ranks start+1 .. end
            int t = end - start;
            if (t > 1) { ties = true; tieTerm += (double)t * t * t - t; }
            for (int k = start; k < end; k++)
                if (diffs[order[k]] > 0) wPlus += rank;
            start = end;
        }

        double p = !ties && n <= ExactLimit ? ExactP(n, (int)wPlus) : NormalP(n, wPlus, tieTerm);
        return new TestResult(wPlus, Math.Min(1, p), n);
    }

    private static double NormalP(int n, double wPlus, double tieTerm)
    {
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1) * (2.0 * n + 1) / 24.0 - tieTerm / 48.0;
        if (variance <= 0) return 1;
        double z = (wPlus - mean) / Math.Sqrt(variance);
        return 2 * Normal.CDF(0, 1, -Math.Abs(z));
    }

    /// <summary>2 · P(W ≤ min(W+, W−)) under the null, counting the 2^n equally likely sign patterns.</summary>
    private static double ExactP(int n, int wPlus)
    {
        int max = n * (n + 1) / 2;
        int w = Math.Min(wPlus, max - wPlus);
        var counts = new double[max + 1]; // counts[s] = number of subsets of {1..k} with rank sum s
        counts[0] = 1;
        for (int k = 1; k <= n; k++)
            for (int s = max; s >= k; s--)
                counts[s] += counts[s - k];
        double tail = 0;
        for (int s = 0; s <= w; s++) tail += counts[s];
        return 2 * tail / Math.Pow(2, n);
    }
}
