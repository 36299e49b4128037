namespace CFBench.Core.Protocols;

/// <summary>How ties in scores are resolved when ranking (recorded with every run).</summary>
public enum TiePolicy
{
    /// <summary>Relevant items rank after every item with an equal score.</summary>
    Pessimistic,
    /// <summary>Relevant items rank before every item with an equal score.</summary>
    Optimistic,
    /// <summary>The expected metric under uniformly random tie-breaking.</summary>
    Expected,
}

/// <summary>Which split picks the best epoch (recorded with every run and flagged wherever results are shown).</summary>
public enum ModelSelection
{
    /// <summary>A validation split drawn from the training data with the run's seed (the default).</summary>
    Validation,
    /// <summary>The test set itself, as the official LightGCN and NCF code do (optimistic; flagged).</summary>
    Test,
}

/// <summary>A protocol and every option that changes its numbers. Serialized with the run.</summary>
public sealed record ProtocolOptions
{
    /// <summary><c>full-ranking</c>, <c>sampled</c> or <c>strong-generalization</c>.</summary>
    public string Name { get; init; } = "full-ranking";
    public IReadOnlyList<int> K { get; init; } = new[] { 20 };
    /// <summary>Metric names without the cut-off: recall, ndcg, precision, hr.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = new[] { "recall", "ndcg" };
    public TiePolicy Ties { get; init; } = TiePolicy.Expected;
    public ModelSelection Selection { get; init; } = ModelSelection.Validation;
    /// <summary>Share of each user's training items held out for validation (full-ranking, validation selection).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Sampled protocol: negatives per user drawn with the seed when the dataset has no candidate file
    /// (0: use the dataset's file).</summary>
    public int SampledNegatives { get; init; } = 0;
    /// <summary>Sampled protocol: what to do when the held-out item is also among its own negatives.
    /// <c>drop</c> (default) ranks it once, as the official NCF code's dict does; <c>keep</c> ranks it against its copy.</summary>
    public string DuplicateNegative { get; init; } = "drop";
    /// <summary>Users scored per batch.</summary>
    public int UserBatch { get; init; } = 4096;

    /// <summary>Names of all metric columns, e.g. <c>recall@20</c>.</summary>
    public IEnumerable<string> MetricColumns => K.SelectMany(k => Metrics.Select(m => $"{m}@{k}"));
}
