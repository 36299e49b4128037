namespace CFBench.Core.Datasets.Parsing;

/// <summary>
/// The ids a reader accepts where ids index arrays directly (users and items number max id + 1): below the card's
/// statistics when it states them, and never above <see cref="SaneLimit"/>. Checked as each line is read, so an id of
/// 2,000,000,000 is one line of error naming file and line, not an 8 GB array in a model (or an int overflow).
/// </summary>
/// <param name="FirstId">The id the files count from (0, or 1 for 1-based files); messages show ids as written.</param>
public sealed record IdBounds(int Users, int Items, string UsersFrom, string ItemsFrom, int FirstId = 0)
{
    /// <summary>2^25 (33.5 million) users or items: the largest public CF datasets have a few million.</summary>
    public const int SaneLimit = 1 << 25;

    private const string Sane = "CFBench's limit";

    public static IdBounds Default { get; } = new(SaneLimit, SaneLimit, Sane, Sane);

    /// <summary>The card's user and item counts when it states them, else <see cref="SaneLimit"/>.</summary>
    public static IdBounds For(DatasetCard card, int firstId = 0) => new(
        Math.Min(card.Statistics?.Users ?? SaneLimit, SaneLimit), Math.Min(card.Statistics?.Items ?? SaneLimit, SaneLimit),
        card.Statistics?.Users is null ? Sane : "the card's statistics", card.Statistics?.Items is null ? Sane : "the card's statistics",
        firstId);

    /// <summary>The 0-based user id of <paramref name="written"/>, or a one-line error at the reader's line.</summary>
    public int User(LineReader reader, long written) => Check(reader, written, "user", Users, UsersFrom);

    public int Item(LineReader reader, long written) => Check(reader, written, "item", Items, ItemsFrom);

    private int Check(LineReader reader, long written, string what, int count, string from)
    {
        if (written < FirstId)
            throw reader.Error(FirstId == 0 ? $"{what} id {written} is negative" : $"{what} id {written} is below the first id {FirstId}");
        if (written - FirstId >= count)
            throw reader.Error($"{what} id {written} is beyond {from} ({count:N0} {what}s: ids {FirstId}..{FirstId + (long)count - 1})");
        return (int)(written - FirstId);
    }
}
