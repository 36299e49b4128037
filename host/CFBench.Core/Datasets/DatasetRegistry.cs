using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Storage;

namespace CFBench.Core.Datasets;

/// <summary>
/// The dataset cards CFBench knows (every <c>dataset.json</c> under the card folders) and the loading of a
/// dataset's files from the data root, checksum-verified and cached in binary form keyed by the checksums.
/// </summary>
public sealed class DatasetRegistry
{
    /// <summary>Bumped when a reader's output changes for the same files; part of every fingerprint.</summary>
    public const int ReaderVersion = 1;

    private readonly IReadOnlyList<string> _cardDirectories;
    private IReadOnlyList<DatasetCard>? _cards;

    public DatasetRegistry(IEnumerable<string> cardDirectories, string? dataRoot, string cacheDirectory)
    {
        _cardDirectories = cardDirectories.ToList();
        DataRoot = dataRoot;
        CacheDirectory = cacheDirectory;
    }

    public string? DataRoot { get; }
    public string CacheDirectory { get; }

    /// <summary>All cards, by name; a name found in several card folders is taken from the first.</summary>
    public IReadOnlyList<DatasetCard> Cards => _cards ??= DatasetCards.ReadAll(_cardDirectories);

    public DatasetCard Find(string name) =>
        Cards.FirstOrDefault(c => c.Name == name)
        ?? throw new DatasetException($"unknown dataset '{name}' (known: {string.Join(", ", Cards.Select(c => c.Name))})");

    /// <summary>The folder holding a card's files: beside the card when bundled, else <c>&lt;dataRoot&gt;/&lt;directory ?? name&gt;</c>;
    /// null when the card is not bundled and no data root is set.
    /// Throws <see cref="DatasetException"/> when the folder would lie outside the data root (links followed).</summary>
    public string? DirectoryOf(DatasetCard card) =>
        card.Bundled ? card.CardDirectory
        : DataRoot is null ? null
        : ConfinedPaths.Resolve(DataRoot, card.Directory ?? card.Name, $"dataset '{card.Name}': directory");

    /// <summary>The path of one of the card's files: under the card's folder (links followed), else
    /// <see cref="DatasetException"/>.</summary>
    public static string PathOf(DatasetCard card, string directory, string file) =>
        ConfinedPaths.Resolve(directory, file, $"dataset '{card.Name}': file");

    /// <summary>Each file the card lists, with its path, whether it exists as a regular file, and what is wrong with
    /// it when its path is not acceptable (outside the dataset folder, not a regular file).</summary>
    public IReadOnlyList<(DatasetFile File, string? Path, bool Exists, string? Problem)> Locate(DatasetCard card)
    {
        string? directory;
        try { directory = DirectoryOf(card); }
        catch (DatasetException e) { return card.Files.Select(f => (f, (string?)null, false, (string?)e.Message)).ToList(); }
        return card.Files.Select(f =>
        {
            if (directory is null) return (f, (string?)null, false, (string?)null);
            try
            {
                var path = PathOf(card, directory, f.Name);
                if (!Path.Exists(path)) return (f, path, false, null);
                return ConfinedPaths.IsRegularFile(path)
                    ? (f, path, true, null)
                    : (f, path, false, $"dataset '{card.Name}': {path} is not a regular file");
            }
            catch (DatasetException e) { return (f, null, false, e.Message); }
        }).ToList();
    }

    /// <summary>Reads, verifies and splits a dataset, from the cache when a parse of the same files and declaration is
    /// there. Throws <see cref="DatasetException"/> with a one-line message (file:line, or file/expected/actual
    /// checksum, or where to get missing files).</summary>
    public InteractionDataset Load(string name, Action<string>? progress = null) => Load(name, useCache: true, progress);

    public InteractionDataset Load(string name, bool useCache, Action<string>? progress = null)
    {
        var card = Find(name);
        var reader = DatasetReaders.For(card);
        var files = reader.FilesToRead(card);
        var undeclared = files.Where(f => card.Files.All(d => d.Name != f)).ToList();
        if (undeclared.Count > 0)
            throw new DatasetException($"dataset '{name}': the {card.Format} reader reads {string.Join(", ", undeclared)}, which the card does not " +
                $"declare in 'files' (declared: {string.Join(", ", card.Files.Select(f => f.Name))}); every file read must be declared and checksummed");
        var directory = DirectoryOf(card)
            ?? throw new DatasetException($"dataset '{name}': no data root (give --data, CFBENCH_DATA or bench.json dataRoot){Obtain(card)}");
        if (!card.Bundled && !System.IO.Directory.Exists(DataRoot))
            throw new DatasetException($"dataset '{name}': the data root {DataRoot} does not exist (give --data, CFBENCH_DATA or bench.json dataRoot){Obtain(card)}");
        var paths = files.ToDictionary(f => f, f => PathOf(card, directory, f));
        var missing = files.Where(f => !Path.Exists(paths[f])).ToList();
        if (missing.Count > 0)
            throw new DatasetException($"dataset '{name}': missing {string.Join(", ", missing)} under {directory}{Obtain(card)}");
        foreach (var file in files) ConfinedPaths.RequireRegularFile(paths[file], $"dataset '{name}':");

        var clock = Stopwatch.StartNew();
        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var declared = card.Files.FirstOrDefault(f => f.Name == file);
            checksums[file] = FileChecksums.Verify(declared, paths[file]).Sha256;
        }
        progress?.Invoke($"{name}: {files.Count} file(s) verified in {clock.ElapsedMilliseconds} ms");

        var fingerprint = Fingerprint(card, checksums);
        var cachePath = Path.Combine(CacheDirectory, "datasets", $"{Sanitize(name)}-{fingerprint[..16]}.bin");
        clock.Restart();
        var parts = useCache ? DatasetCacheFile.TryRead(cachePath, fingerprint) : null;
        if (parts is not null)
            progress?.Invoke($"{name}: read from cache {cachePath} in {clock.ElapsedMilliseconds} ms");
        else
        {
            parts = reader.Read(card, directory);
            progress?.Invoke($"{name}: parsed in {clock.ElapsedMilliseconds} ms");
            try
            {
                DatasetCacheFile.Write(cachePath, fingerprint, parts);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                progress?.Invoke($"{name}: cache not written ({e.Message})");
            }
        }

        return new InteractionDataset
        {
            Name = card.Name,
            Card = card,
            FileChecksums = checksums,
            Fingerprint = fingerprint,
            Train = parts.Train,
            Test = parts.Test,
            TestNegatives = parts.TestNegatives,
            ValidationUsers = parts.ValidationUsers,
            TestUsers = parts.TestUsers,
            Ids = parts.Ids,
            Stats = parts.Stats,
        };
    }

    /// <summary>SHA-256 over the reader version, format, file checksums, preprocessing and split declaration.</summary>
    public static string Fingerprint(DatasetCard card, IReadOnlyDictionary<string, string> fileSha256)
    {
        var text = new StringBuilder();
        text.Append("cfbench-dataset reader=").Append(ReaderVersion).Append('\n');
        text.Append("format=").Append(card.Format).Append('\n');
        foreach (var (file, sha) in fileSha256.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append("file ").Append(file).Append('=').Append(sha).Append('\n');
        text.Append("preprocessing=").Append(card.Preprocessing?.ToJsonString() ?? "null").Append('\n');
        text.Append("split=").Append(card.Split?.ToJsonString() ?? "null").Append('\n');
        // Only cards with a layout hash it, so that the fingerprints (and run keys) of the other cards stay as they were.
        if (card.Layout is not null) text.Append("layout=").Append(card.Layout.ToJsonString()).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Obtain(DatasetCard card) => card.Obtain is { Length: > 0 } o ? $"; get them from: {o}" : "";

    private static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}

/// <summary>A dataset problem worth one clear line to the user.</summary>
public sealed class DatasetException(string message) : Exception(message);

/// <summary>Reading of <c>dataset.json</c> cards (camelCase JSON).</summary>
public static class DatasetCards
{
    public const string FileName = "dataset.json";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<DatasetCard> ReadAll(IEnumerable<string> cardDirectories)
    {
        var cards = new List<DatasetCard>();
        foreach (var root in cardDirectories.Where(Directory.Exists))
            foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(folder, FileName);
                if (!File.Exists(path)) continue;
                var card = Read(path);
                if (cards.All(c => c.Name != card.Name)) cards.Add(card);
            }
        return cards;
    }

    public static DatasetCard Read(string path)
    {
        DatasetCard? card;
        try
        {
            card = JsonSerializer.Deserialize<DatasetCard>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path}: invalid dataset card: {Config.JsonErrorText.Location(e)}: {Config.JsonErrorText.Detail(e)}");
        }
        if (card is null || string.IsNullOrWhiteSpace(card.Name) || string.IsNullOrWhiteSpace(card.Format))
            throw new DatasetException($"{path}: invalid dataset card: 'name' and 'format' are required");
        return card with { CardDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
    }

    public static void Write(string path, DatasetCard card) =>
        File.WriteAllText(path, JsonSerializer.Serialize(card, JsonOptions) + "\n");
}
