namespace CFBench.Core.Metrics;

/// <summary>What recall divides the hits by.</summary>
public enum RecallDenominator
{
    /// <summary>|relevant| (LightGCN/NGCF full ranking, NCF).</summary>
    Relevant,
    /// <summary>min(K, |relevant|) (Mult-VAE), so a perfect ranking scores 1 when |relevant| &gt; K.</summary>
    MinKRelevant,
}
