using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CFBench.Core.Datasets;

namespace CFBench.Tests.Datasets;

/// <summary>Small dataset files and cards written into temp directories.</summary>
internal static class DatasetFixtures
{
    public static string Write(string directory, string name, string text)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
    public static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    /// <summary>A card folder <c>cards/&lt;name&gt;/dataset.json</c> whose files live in <c>data/&lt;name&gt;/</c>.</summary>
    public sealed class Layout
    {
        public Layout()
        {
            Root = RepoPaths.TempDirectory();
            Cards = Path.Combine(Root, "cards");
            Data = Path.Combine(Root, "data");
            Cache = Path.Combine(Root, "cache");
        }

        public string Root { get; }
        public string Cards { get; }
        public string Data { get; }
        public string Cache { get; }

        public string DataFile(string dataset, string file, string text) => Write(Path.Combine(Data, dataset), file, text);

        /// <summary>Writes the card with SHA-256 checksums of the given files as they are in the data folder now.</summary>
        public DatasetCard Card(string name, string format, string[] files, JsonObject? preprocessing = null, JsonObject? split = null,
            Func<string, DatasetFile>? declare = null, string? obtain = null)
        {
            var card = new DatasetCard
            {
                Name = name,
                Format = format,
                Files = files.Select(f => declare?.Invoke(f) ?? new DatasetFile(f, Sha256(Path.Combine(Data, name, f)))).ToList(),
                Preprocessing = preprocessing,
                Split = split,
                Obtain = obtain,
            };
            var folder = Path.Combine(Cards, name);
            Directory.CreateDirectory(folder);
            DatasetCards.Write(Path.Combine(folder, DatasetCards.FileName), card);
            return card;
        }

        public DatasetRegistry Registry() => new(new[] { Cards }, Data, Cache);
    }
}

/// <summary>A fact that needs the real datasets in the shared folder beside the repository; skipped with the reason
/// when they are not there.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string dataset)
    {
        var folder = Path.Combine(RepoPaths.SharedDatasets, dataset);
        if (!Directory.Exists(folder)) Skip = $"needs the real '{dataset}' files in {folder} (not on this machine)";
    }
}
