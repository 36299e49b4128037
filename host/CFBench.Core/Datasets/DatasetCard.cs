using System.Text.Json.Serialization;

namespace CFBench.Core.Datasets;

/// <summary>A file of a dataset with the checksum a source publishes: SHA-256, or MD5 where that is all a source gives.</summary>
public sealed record DatasetFile(string Name, string? Sha256 = null, string? Md5 = null, long? Bytes = null);

/// <summary>The statistics a dataset's paper or source reports; <c>cfbench data show</c> prints them beside the measured ones.</summary>
public sealed record DatasetStatistics(int? Users = null, int? Items = null, long? Train = null, long? Test = null, long? Interactions = null);

/// <summary>
/// <c>datasets/&lt;name&gt;/dataset.json</c>: what a dataset is and where its files come from. The format names the
/// reader (<c>lightgcn</c>, <c>ncf</c>, <c>raw</c>); <see cref="Bundled"/> cards ship their files beside the card,
/// the others are read from the data root's <c>&lt;name&gt;</c> folder (or <see cref="Directory"/>).
/// </summary>
public sealed record DatasetCard
{
    public required string Name { get; init; }
    public required string Format { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<DatasetFile> Files { get; init; } = Array.Empty<DatasetFile>();
    public IReadOnlyList<string> Sources { get; init; } = Array.Empty<string>();
    public DatasetStatistics? Statistics { get; init; }
    public string Licence { get; init; } = "";
    public string Paper { get; init; } = "";
    public bool Bundled { get; init; }
    /// <summary>Folder name under the data root, when it differs from <see cref="Name"/>.</summary>
    public string? Directory { get; init; }
    /// <summary>Format <c>delimited</c>: separator, header, first id and columns of its files
    /// (<see cref="Readers.DelimitedLayout"/>).</summary>
    public System.Text.Json.Nodes.JsonObject? Layout { get; init; }
    /// <summary>Raw and delimited logs: preprocessing and split declaration.</summary>
    public System.Text.Json.Nodes.JsonObject? Preprocessing { get; init; }
    public System.Text.Json.Nodes.JsonObject? Split { get; init; }
    /// <summary>Where to get the files, shown when they are missing.</summary>
    public string? Obtain { get; init; }
    /// <summary>How the files were made when they are not the source's own (reconstructed, or the command that cut a
    /// subset).</summary>
    public string? Provenance { get; init; }

    /// <summary>The folder the card was read from (set by the registry).</summary>
    [JsonIgnore] public string CardDirectory { get; init; } = "";
}
