using CFBench.Contracts;

namespace CFBench.Core.Datasets;

/// <summary>What a reader produces from a dataset's files: the parts of an <see cref="InteractionDataset"/> that come
/// from the data (the registry adds the card, checksums and fingerprint).</summary>
public sealed record DatasetParts(
    InteractionMatrix Train,
    InteractionMatrix? Test,
    InteractionMatrix? TestNegatives,
    HeldOutUsers? ValidationUsers,
    HeldOutUsers? TestUsers,
    DatasetLoadStats Stats)
{
    /// <summary>The files' ids of rows and columns when the reader renumbered them; null: indices are the files' ids.</summary>
    public SourceIds? Ids { get; init; }
}
