using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CFBench.Core.Datasets.Storage;
using CFBench.Core.Protocols;

namespace CFBench.Core.Datasets.Export;

/// <summary>The protocol split an export holds besides the dataset's: which suite and seed drew it, with what options.</summary>
public sealed record ProtocolSplit(string Suite, long Seed, ProtocolOptions Options);

/// <summary>One written file: its part, how many users (with at least one line) and interactions it holds, its SHA-256.</summary>
public sealed record SplitFile(string File, string Part, string Source, string Description, long Users, long Interactions, string Sha256);

/// <summary><c>manifest.json</c> of a split export: the dataset and its files' checksums, the card's preprocessing and
/// split declaration (seed included), the protocol split when there is one, and every file written.</summary>
public sealed record SplitManifest(
    string Dataset, string Format, string Fingerprint, IReadOnlyDictionary<string, string> SourceFiles,
    JsonObject? Preprocessing, JsonObject? Split, ProtocolSplit? Protocol, IReadOnlyList<SplitFile> Files);

/// <summary>
/// Writes split parts as <c>PART.tsv</c> files (a <c>user&lt;TAB&gt;item</c> header, then one interaction per line in
/// row order, ids as in the dataset's files) and <c>manifest.json</c> into a new or empty folder. Each file is written
/// under a temporary name and renamed; the manifest comes last, so a folder without it is an unfinished export.
/// </summary>
public static class SplitExport
{
    public const string ManifestFile = "manifest.json";
    public const string Header = "user\titem";

    private static readonly JsonSerializerOptions JsonOptions = new(DatasetCards.JsonOptions)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static SplitManifest Write(string directory, InteractionDataset data, IReadOnlyList<SplitPart> parts, ProtocolSplit? protocol)
    {
        if (File.Exists(directory)) throw new IOException($"{directory}: is a file, not a folder");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new IOException($"{directory}: folder is not empty; export into a new or empty folder");
        Directory.CreateDirectory(directory);

        var files = parts.Select(part => WritePart(directory, part)).ToList();
        var manifest = new SplitManifest(data.Name, data.Card.Format, data.Fingerprint, data.FileChecksums,
            data.Card.Preprocessing, data.Card.Split, protocol, files);
        WriteAtomically(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest, JsonOptions) + "\n");
        return manifest;
    }

    private static SplitFile WritePart(string directory, SplitPart part)
    {
        var matrix = part.Matrix;
        if (part.UserIds.Count != matrix.Rows || part.ItemIds.Count != matrix.Columns)
            throw new InvalidOperationException($"{part.Name}: {part.UserIds.Count}×{part.ItemIds.Count} ids for a {matrix.Rows}×{matrix.Columns} matrix");
        var path = Path.Combine(directory, part.FileName);
        var temporary = path + ".tmp";
        long users = 0;
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write(Header + "\n");
            for (int row = 0; row < matrix.Rows; row++)
            {
                var items = matrix.Row(row);
                if (items.Length > 0) users++;
                foreach (var item in items)
                {
                    writer.Write(part.UserIds[row]);
                    writer.Write('\t');
                    writer.Write(part.ItemIds[item]);
                    writer.Write('\n');
                }
            }
        }
        File.Move(temporary, path, overwrite: true);
        return new SplitFile(part.FileName, part.Name, part.Source, part.Description, users, matrix.Count,
            FileChecksums.Compute(path, withMd5: false).Sha256);
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
