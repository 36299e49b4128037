using CFBench.Contracts;
using CFBench.Core.Datasets.Splits;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// Raw rating logs (MovieLens <c>u.data</c>, <c>ratings.dat</c>, <c>ratings.csv</c>): the card's declared
/// preprocessing (<see cref="RawPreprocessing"/>) then its declared split (<see cref="SplitDeclaration"/>).
/// </summary>
public sealed class RawLogReader : IDatasetReader
{
    private static readonly string[] KnownLogs = { "u.data", "ratings.dat", "ratings.csv" };

    public string Format => "raw";

    public IReadOnlyList<string> FilesToRead(DatasetCard card)
    {
        var names = card.Files.Select(f => f.Name).ToList();
        var logs = names.Count == 1 ? names : names.Where(n => KnownLogs.Contains(n)).ToList();
        return logs.Count == 1 ? logs
            : throw new DatasetException($"dataset '{card.Name}': a raw card lists one rating log ({string.Join(", ", KnownLogs)}); found {logs.Count}");
    }

    public DatasetParts Read(DatasetCard card, string directory) =>
        Read(Path.Combine(directory, FilesToRead(card)[0]),
            RawPreprocessing.Parse(card.Preprocessing, card.Name),
            SplitDeclaration.Parse(card.Split, card.Name));

    public static DatasetParts Read(string path, RawPreprocessing preprocessing, SplitDeclaration split) =>
        Read(RatingLog.Read(path), preprocessing, split);

    /// <summary>A log with raw ids: preprocessing, then the split (not <c>given</c>: that takes two files).</summary>
    public static DatasetParts Read(RatingLog log, RawPreprocessing preprocessing, SplitDeclaration split)
    {
        if (split.Type == SplitDeclaration.Given)
            throw new DatasetException("a given split names its train and test files; it needs the delimited format");
        var notes = new Dictionary<string, long>();
        var kept = preprocessing.Apply(log, notes, out long duplicates);
        var grouped = new UserGroupedLog(log, kept);
        return split.Type switch
        {
            SplitDeclaration.StrongGeneralization => StrongGeneralizationSplit.Apply(grouped, split, notes, duplicates),
            SplitDeclaration.RandomRatio => RandomRatioSplit.Apply(grouped, split, notes, duplicates),
            SplitDeclaration.LeaveLatestOneOut => LeaveLatestOneOutSplit.Apply(grouped, notes, duplicates),
            _ => Unsplit(grouped, notes, duplicates),
        };
    }

    private static DatasetParts Unsplit(UserGroupedLog grouped, Dictionary<string, long> notes, long duplicates)
    {
        var itemIndex = grouped.ItemsInAscendingOrder();
        var rows = new int[grouped.KeptRecords.Length];
        var cols = new int[rows.Length];
        int n = 0;
        for (int u = 0; u < grouped.UserCount; u++)
            foreach (var k in grouped.RecordsOf(u))
            {
                rows[n] = u;
                cols[n++] = itemIndex[grouped.Log.Items[k]];
            }
        var train = InteractionMatrix.FromPairs(grouped.UserCount, itemIndex.Count, rows, cols);
        var stats = new DatasetLoadStats(train.Rows, train.Columns, train.Count, 0, DuplicatesDropped: duplicates, Notes: notes);
        return new DatasetParts(train, null, null, null, null, stats) { Ids = new SourceIds(SourceIds.Text(itemIndex), SourceIds.Text(grouped.UserIds)) };
    }
}
