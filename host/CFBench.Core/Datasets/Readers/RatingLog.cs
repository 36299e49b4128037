using CFBench.Core.Datasets.Parsing;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// A rating log as read from a delimited file: <c>user, item, rating, timestamp</c> per record. Ids are kept as
/// written (long) for logs that are re-indexed later, or checked against <see cref="IdBounds"/> and made 0-based where
/// they index arrays directly (pre-split files). A file without a rating column rates every record 1; one without a
/// timestamp column stamps each record with its line number, so "latest" means "later in the file".
/// </summary>
public sealed class RatingLog
{
    public required long[] Users { get; init; }
    public required long[] Items { get; init; }
    public required double[] Ratings { get; init; }
    public required long[] Timestamps { get; init; }
    public int Count => Users.Length;

    /// <summary>A MovieLens log (<c>u.data</c>, <c>ratings.dat</c>, <c>ratings.csv</c>; the layout from the name).</summary>
    public static RatingLog Read(string path) => Read(path, DelimitedLayout.OfMovieLens(Path.GetFileName(path)));

    /// <param name="bounds">When given, ids are checked at their line and stored 0-based (written - firstId).</param>
    public static RatingLog Read(string path, DelimitedLayout layout, IdBounds? bounds = null)
    {
        bool whitespace = layout.Separator == DelimitedLayout.Whitespace;
        var separator = whitespace ? Array.Empty<byte>() : System.Text.Encoding.UTF8.GetBytes(layout.Separator);
        var columns = layout.Columns;
        var users = new List<long>();
        var items = new List<long>();
        var ratings = new List<double>();
        var timestamps = new List<long>();
        using var reader = new LineReader(path);
        while (reader.TryReadLine(out var line))
        {
            if (layout.Header && reader.LineNumber == 1) continue;
            if (line.IsEmpty) continue;
            var fields = whitespace ? FieldSplitter.Whitespace(line) : new FieldSplitter(line, separator);
            long user = 0, item = 0, timestamp = reader.LineNumber;
            double rating = 1;
            foreach (var column in columns)
            {
                if (!fields.TryNext(out var field))
                    throw reader.Error($"expected {string.Join(layout.ReadableSeparator, columns)}");
                switch (column)
                {
                    case DelimitedLayout.User:
                        user = reader.ParseLong(field, "user id");
                        if (bounds is not null) user = bounds.User(reader, user);
                        break;
                    case DelimitedLayout.Item:
                        item = reader.ParseLong(field, "item id");
                        if (bounds is not null) item = bounds.Item(reader, item);
                        break;
                    case DelimitedLayout.Rating: rating = reader.ParseDouble(field, "rating"); break;
                    case DelimitedLayout.Timestamp: timestamp = reader.ParseLong(field, "timestamp"); break;
                }
            }
            if (fields.TryNext(out _)) throw reader.Error($"more than {columns.Count} fields");
            users.Add(user);
            items.Add(item);
            ratings.Add(rating);
            timestamps.Add(timestamp);
        }
        return new RatingLog { Users = users.ToArray(), Items = items.ToArray(), Ratings = ratings.ToArray(), Timestamps = timestamps.ToArray() };
    }
}
