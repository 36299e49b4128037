using CFBench.Core.Datasets.Parsing;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// A raw rating log in file order: <c>user, item, rating, timestamp</c> per record, raw (integer) ids. Reads the
/// MovieLens layouts: <c>u.data</c> (tab), <c>ratings.dat</c> (<c>::</c>) and <c>ratings.csv</c> (comma, header line).
/// </summary>
public sealed class RatingLog
{
    public required long[] Users { get; init; }
    public required long[] Items { get; init; }
    public required double[] Ratings { get; init; }
    public required long[] Timestamps { get; init; }
    public int Count => Users.Length;

    /// <summary>The separator a file name implies, and whether the file starts with a header line.</summary>
    public static (string Separator, bool Header) LayoutOf(string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? (",", true)
        : fileName.EndsWith(".dat", StringComparison.OrdinalIgnoreCase) ? ("::", false)
        : ("\t", false);

    public static RatingLog Read(string path)
    {
        var (separatorText, header) = LayoutOf(Path.GetFileName(path));
        var separator = System.Text.Encoding.ASCII.GetBytes(separatorText);
        var users = new List<long>();
        var items = new List<long>();
        var ratings = new List<double>();
        var timestamps = new List<long>();
        using var reader = new LineReader(path);
        while (reader.TryReadLine(out var line))
        {
            if (header && reader.LineNumber == 1) continue;
            if (line.IsEmpty) continue;
            var fields = new FieldSplitter(line, separator);
            if (!fields.TryNext(out var u) || !fields.TryNext(out var i) || !fields.TryNext(out var r) || !fields.TryNext(out var t))
                throw reader.Error($"expected user{Readable(separatorText)}item{Readable(separatorText)}rating{Readable(separatorText)}timestamp");
            if (fields.TryNext(out _)) throw reader.Error("more than 4 fields");
            users.Add(reader.ParseLong(u, "user id"));
            items.Add(reader.ParseLong(i, "item id"));
            ratings.Add(reader.ParseDouble(r, "rating"));
            timestamps.Add(reader.ParseLong(t, "timestamp"));
        }
        return new RatingLog { Users = users.ToArray(), Items = items.ToArray(), Ratings = ratings.ToArray(), Timestamps = timestamps.ToArray() };
    }

    private static string Readable(string separator) => separator == "\t" ? "<TAB>" : separator;
}
