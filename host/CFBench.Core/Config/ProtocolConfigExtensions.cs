using CFBench.Core.Protocols;

namespace CFBench.Core.Config;

public static class ProtocolConfigExtensions
{
    /// <summary>The protocol options a bench.json declaration stands for (unset fields keep their defaults).</summary>
    public static ProtocolOptions ToOptions(this ProtocolConfig config)
    {
        var defaults = new ProtocolOptions();
        return new ProtocolOptions
        {
            Name = config.Name,
            K = config.K ?? defaults.K,
            Metrics = config.Metrics ?? defaults.Metrics,
            Ties = config.Ties is { } t ? Enum.Parse<TiePolicy>(t, ignoreCase: true) : defaults.Ties,
            Selection = config.Selection is { } s ? Enum.Parse<ModelSelection>(s, ignoreCase: true) : defaults.Selection,
            ValidationFraction = config.ValidationFraction ?? defaults.ValidationFraction,
            SampledNegatives = config.SampledNegatives ?? defaults.SampledNegatives,
            DuplicateNegative = config.DuplicateNegative ?? defaults.DuplicateNegative,
            UserBatch = config.UserBatch ?? defaults.UserBatch,
        };
    }
}
