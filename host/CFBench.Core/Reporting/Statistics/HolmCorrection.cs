namespace CFBench.Core.Reporting.Statistics;

/// <summary>Holm's step-down adjustment of a family of p-values (controls the family-wise error rate).</summary>
public static class HolmCorrection
{
    /// <summary>Adjusted p-values, in the input's order: the i-th smallest of m is multiplied by (m - i + 1),
    /// made non-decreasing along the sorted order and capped at 1. NaN entries are left NaN and do not count in m.</summary>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        var adjusted = Enumerable.Repeat(double.NaN, p.Count).ToArray();
        var order = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ToArray();
        int m = order.Length;
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
