namespace CFBench.Core.Metrics;

/// <summary>The ranking metrics the host computes.</summary>
public enum MetricKind
{
    /// <summary>hits / denominator (|relevant|, or min(K, |relevant|) under strong generalization).</summary>
    Recall,
    /// <summary>DCG@K / IDCG@K, IDCG over min(K, |relevant|) positions, gain 1/log2(rank + 2) with rank from 0.</summary>
    Ndcg,
    /// <summary>hits / K.</summary>
    Precision,
    /// <summary>1 when at least one relevant item is in the top K (hit ratio).</summary>
    HitRate,
}

/// <summary>One graded column such as <c>recall@20</c>.</summary>
public sealed record MetricColumn(MetricKind Kind, int K)
{
    /// <summary>The metric names accepted in <see cref="Protocols.ProtocolOptions.Metrics"/>.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = new[] { "recall", "ndcg", "precision", "hr" };

    public string Name => $"{KindName(Kind)}@{K}";

    public override string ToString() => Name;

    public static bool TryParseKind(string name, out MetricKind kind)
    {
        // Exact names only, so that column names equal ProtocolOptions.MetricColumns.
        switch (name)
        {
            case "recall": kind = MetricKind.Recall; return true;
            case "ndcg": kind = MetricKind.Ndcg; return true;
            case "precision": kind = MetricKind.Precision; return true;
            case "hr": kind = MetricKind.HitRate; return true;
            default: kind = default; return false;
        }
    }

    public static string KindName(MetricKind kind) => kind switch
    {
        MetricKind.Recall => "recall",
        MetricKind.Ndcg => "ndcg",
        MetricKind.Precision => "precision",
        MetricKind.HitRate => "hr",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Every (metric, K) pair of the options, in the order of
    /// <see cref="Protocols.ProtocolOptions.MetricColumns"/>.</summary>
    public static IReadOnlyList<MetricColumn> FromOptions(IReadOnlyList<int> ks, IReadOnlyList<string> metrics) =>
        ks.SelectMany(k => metrics.Select(m => TryParseKind(m, out var kind)
                ? new MetricColumn(kind, k)
                : throw new ArgumentException($"unknown metric '{m}' (known: {string.Join(", ", KnownNames)})")))
            .ToArray();
}
