using CFBench.Contracts;

namespace CFBench.Core.Datasets;

/// <summary>Users held out of training (Mult-VAE's strong generalization): the fold-in items a model may look at,
/// and the held-out items it is graded on. Row b of both matrices is the same user.</summary>
public sealed record HeldOutUsers(InteractionMatrix FoldIn, InteractionMatrix HeldOut)
{
    public int Count => FoldIn.Rows;
}

/// <summary>
/// A dataset after reading, preprocessing and splitting, ready for a protocol. Which parts are set depends on the
/// split: <see cref="Test"/> (full ranking, same users as <see cref="Train"/>), <see cref="TestNegatives"/>
/// (sampled ranking with fixed candidates), <see cref="ValidationUsers"/>/<see cref="TestUsers"/> (strong generalization).
/// </summary>
public sealed class InteractionDataset
{
    public required string Name { get; init; }
    public required DatasetCard Card { get; init; }

    /// <summary>File name → SHA-256 (hex) of every file read.</summary>
    public required IReadOnlyDictionary<string, string> FileChecksums { get; init; }

    /// <summary>One hash over the file checksums and the preprocessing/split declaration: equal fingerprints mean
    /// equal data. Part of a run's key.</summary>
    public required string Fingerprint { get; init; }

    public required InteractionMatrix Train { get; init; }
    public InteractionMatrix? Test { get; init; }
    public InteractionMatrix? TestNegatives { get; init; }
    public HeldOutUsers? ValidationUsers { get; init; }
    public HeldOutUsers? TestUsers { get; init; }

    /// <summary>The files' ids of rows and columns when the reader renumbered them; null: indices are the files' ids.</summary>
    public SourceIds? Ids { get; init; }

    /// <summary>What the reader found and did (duplicates dropped, users without test items, ...), shown by
    /// <c>cfbench data show</c>.</summary>
    public required DatasetLoadStats Stats { get; init; }

    public int Users => Train.Rows;
    public int Items => Train.Columns;
}

/// <summary>Counts a reader reports beside the data. <see cref="Notes"/> holds anything else worth showing.</summary>
public sealed record DatasetLoadStats(
    int Users,
    int Items,
    long TrainInteractions,
    long TestInteractions,
    long DuplicatesDropped = 0,
    long UsersWithoutTest = 0,
    long TrainTestOverlap = 0,
    IReadOnlyDictionary<string, long>? Notes = null);
