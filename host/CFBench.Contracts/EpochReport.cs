namespace CFBench.Contracts;

/// <summary>What one training epoch did: mean training loss and the number of training samples
/// (triplets, rows, users) processed. <paramref name="Extra"/> holds model-specific figures (e.g. KL weight).</summary>
public sealed record EpochReport(double Loss, long Samples, IReadOnlyDictionary<string, double>? Extra = null);
