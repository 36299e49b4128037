using CFBench.Core.Protocols;

namespace CFBench.Core.Metrics;

/// <summary>
/// Exact value of one metric for one user, given where the user's reachable relevant items fall (their tie groups)
/// and how many relevant items the user has in all (masked ones included). Ties are resolved by
/// <see cref="TiePolicy"/>: pessimistic puts a group's relevant items at its end, optimistic at its start, and
/// expected takes the mean over uniformly random orders within every group (groups are independent).
/// </summary>
public static class RankMetrics
{
    public static double Value(MetricColumn column, IReadOnlyList<TieGroup> groups, int relevantCount, TiePolicy ties,
        RecallDenominator recallDenominator)
    {
        if (relevantCount <= 0) throw new ArgumentOutOfRangeException(nameof(relevantCount), "a graded user has relevant items");
        int k = column.K;
        switch (column.Kind)
        {
            case MetricKind.Recall:
                var denominator = recallDenominator == RecallDenominator.MinKRelevant ? Math.Min(k, relevantCount) : relevantCount;
                return Hits(groups, k, ties) / denominator;
            case MetricKind.Precision:
                return Hits(groups, k, ties) / k;
            case MetricKind.Ndcg:
                return Dcg(groups, k, ties) / IdealDcg(k, relevantCount);
            case MetricKind.HitRate:
                return HitProbability(groups, k, ties);
            default:
                throw new ArgumentOutOfRangeException(nameof(column));
        }
    }

    /// <summary>Gain of the item at <paramref name="rank"/> (from 0): 1/log2(rank + 2).</summary>
    public static double Gain(long rank) => 1.0 / Math.Log2(rank + 2);

    public static double IdealDcg(int k, int relevantCount)
    {
        double sum = 0;
        for (int r = 0; r < Math.Min(k, relevantCount); r++) sum += Gain(r);
        return sum;
    }

    /// <summary>Number of a group's slots inside the top K.</summary>
    private static long SlotsInTop(TieGroup g, int k) => Math.Clamp(k - g.Start, 0, g.Size);

    /// <summary>First rank of the group's relevant items under a deterministic policy.</summary>
    private static long FirstRelevantRank(TieGroup g, TiePolicy ties) =>
        ties == TiePolicy.Pessimistic ? g.End - g.Relevant : g.Start;

    private static double Hits(IReadOnlyList<TieGroup> groups, int k, TiePolicy ties)
    {
        double hits = 0;
        foreach (var g in groups)
        {
            if (ties == TiePolicy.Expected)
                hits += (double)g.Relevant * SlotsInTop(g, k) / g.Size;
            else
                hits += Math.Clamp(k - FirstRelevantRank(g, ties), 0, g.Relevant);
        }
        return hits;
    }

    private static double Dcg(IReadOnlyList<TieGroup> groups, int k, TiePolicy ties)
    {
        double dcg = 0;
        foreach (var g in groups)
        {
            if (ties == TiePolicy.Expected)
            {
                // Each relevant item is uniform over the group's ranks: h/g times the gains of the slots inside the top K.
                double slotGains = 0;
                for (long r = g.Start; r < g.Start + SlotsInTop(g, k); r++) slotGains += Gain(r);
                dcg += slotGains * g.Relevant / g.Size;
            }
            else
            {
                var first = FirstRelevantRank(g, ties);
                for (long r = first; r < first + g.Relevant && r < k; r++) dcg += Gain(r);
            }
        }
        return dcg;
    }

    private static double HitProbability(IReadOnlyList<TieGroup> groups, int k, TiePolicy ties)
    {
        if (ties != TiePolicy.Expected)
            return groups.Any(g => FirstRelevantRank(g, ties) < k) ? 1 : 0;
        // P(no hit) = Π over groups of P(the m top slots of a group all go to its g - h non-relevant items)
        //           = Π C(g - h, m) / C(g, m).
        double none = 1;
        foreach (var g in groups)
        {
            var m = SlotsInTop(g, k);
            for (long i = 0; i < m && none > 0; i++)
                none *= Math.Max(0, g.Size - g.Relevant - i) / (double)(g.Size - i);
        }
        return 1 - none;
    }
}
