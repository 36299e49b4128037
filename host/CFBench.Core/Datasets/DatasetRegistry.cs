namespace CFBench.Core.Datasets;

/// <summary>
/// The dataset cards CFBench knows (every <c>dataset.json</c> under the card folders) and the loading of a
/// dataset's files from the data root, checksum-verified and cached in binary form keyed by the checksums.
/// </summary>
public sealed class DatasetRegistry
{
    public DatasetRegistry(IEnumerable<string> cardDirectories, string? dataRoot, string cacheDirectory) =>
        throw new NotImplementedException("DatasetRegistry");

    public IReadOnlyList<DatasetCard> Cards => throw new NotImplementedException();

    public DatasetCard Find(string name) => throw new NotImplementedException();

    /// <summary>Reads, verifies and splits a dataset. Throws <see cref="DatasetException"/> with a one-line
    /// message (file:line, or file/expected/actual checksum, or where to get missing files).</summary>
    public InteractionDataset Load(string name, Action<string>? progress = null) => throw new NotImplementedException();
}

/// <summary>A dataset problem worth one clear line to the user.</summary>
public sealed class DatasetException(string message) : Exception(message);
