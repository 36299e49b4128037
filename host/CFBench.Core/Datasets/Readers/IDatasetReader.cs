namespace CFBench.Core.Datasets.Readers;

/// <summary>Turns the files of one dataset format into <see cref="DatasetParts"/>.</summary>
public interface IDatasetReader
{
    /// <summary>The card's <c>format</c> value this reader handles.</summary>
    string Format { get; }

    /// <summary>Names of the card's files this reader reads (checksummed before reading). Throws
    /// <see cref="DatasetException"/> when the card does not declare what the format needs.</summary>
    IReadOnlyList<string> FilesToRead(DatasetCard card);

    DatasetParts Read(DatasetCard card, string directory);
}

/// <summary>The readers CFBench knows, by format.</summary>
public static class DatasetReaders
{
    public static IReadOnlyList<IDatasetReader> All { get; } =
        new IDatasetReader[] { new LightGcnReader(), new NcfReader(), new RawLogReader(), new DelimitedReader() };

    public static IDatasetReader For(DatasetCard card) =>
        All.FirstOrDefault(r => r.Format == card.Format)
        ?? throw new DatasetException($"dataset '{card.Name}': unknown format '{card.Format}' (known: {string.Join(", ", All.Select(r => r.Format))})");
}
