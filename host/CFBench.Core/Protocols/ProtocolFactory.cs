using CFBench.Core.Metrics;

namespace CFBench.Core.Protocols;

/// <summary>Creates the protocol an options record names, after checking every option (one-line
/// <see cref="ArgumentException"/> naming the bad value).</summary>
public static class ProtocolFactory
{
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        FullRankingProtocol.ProtocolName, SampledProtocol.ProtocolName, StrongGeneralizationProtocol.ProtocolName,
    };

    public static IProtocol Create(ProtocolOptions options)
    {
        Validate(options);
        return options.Name switch
        {
            FullRankingProtocol.ProtocolName => new FullRankingProtocol(options),
            SampledProtocol.ProtocolName => new SampledProtocol(options),
            StrongGeneralizationProtocol.ProtocolName => new StrongGeneralizationProtocol(options),
            _ => throw new ArgumentException($"unknown protocol '{options.Name}' (known: {string.Join(", ", Names)})"),
        };
    }

    private static void Validate(ProtocolOptions o)
    {
        if (!Names.Contains(o.Name))
            throw new ArgumentException($"unknown protocol '{o.Name}' (known: {string.Join(", ", Names)})");
        if (o.K.Count == 0 || o.K.Any(k => k <= 0))
            throw new ArgumentException($"protocol {o.Name}: cut-offs K must be positive, got [{string.Join(", ", o.K)}]");
        if (o.Metrics.Count == 0)
            throw new ArgumentException($"protocol {o.Name}: no metrics");
        foreach (var m in o.Metrics)
            if (!MetricColumn.TryParseKind(m, out _))
                throw new ArgumentException($"protocol {o.Name}: unknown metric '{m}' (known: {string.Join(", ", MetricColumn.KnownNames)})");
        if (!Enum.IsDefined(o.Ties))
            throw new ArgumentException($"protocol {o.Name}: unknown tie policy {(int)o.Ties}");
        if (!Enum.IsDefined(o.Selection))
            throw new ArgumentException($"protocol {o.Name}: unknown model selection {(int)o.Selection}");
        if (!(o.ValidationFraction > 0 && o.ValidationFraction < 1))
            throw new ArgumentException($"protocol {o.Name}: validation fraction must be in (0, 1), got {o.ValidationFraction}");
        if (o.SampledNegatives < 0)
            throw new ArgumentException($"protocol {o.Name}: sampled negatives must be >= 0, got {o.SampledNegatives}");
        if (!string.Equals(o.DuplicateNegative, "drop", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(o.DuplicateNegative, "keep", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"protocol {o.Name}: duplicate-negative must be 'drop' or 'keep', got '{o.DuplicateNegative}'");
        if (o.UserBatch <= 0)
            throw new ArgumentException($"protocol {o.Name}: user batch must be positive, got {o.UserBatch}");
    }
}
