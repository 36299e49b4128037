using CFBench.Contracts;

namespace CFBench.Core.Datasets.Splits;

/// <summary>
/// A per-user random split: users and items in ascending raw id; for each user (in that order) its items are shuffled
/// with one <see cref="SeededRandom"/> stream from the seed and max(1, floor(testFraction·n)) go to test; a user with a
/// single item keeps it in training.
/// </summary>
public static class RandomRatioSplit
{
    public static DatasetParts Apply(UserGroupedLog grouped, SplitDeclaration split, Dictionary<string, long> notes, long duplicates)
    {
        var log = grouped.Log;
        var itemIndex = grouped.ItemsInAscendingOrder();
        var rng = new SeededRandom(split.Seed);
        var trainRows = new List<int>();
        var trainCols = new List<int>();
        var testRows = new List<int>();
        var testCols = new List<int>();
        for (int u = 0; u < grouped.UserCount; u++)
        {
            var items = grouped.RecordsOf(u).ToArray().Select(k => itemIndex[log.Items[k]]).ToArray();
            rng.Shuffle(items.AsSpan());
            int testCount = items.Length < 2 ? 0 : Math.Max(1, (int)Math.Floor(split.TestFraction * items.Length));
            for (int j = 0; j < items.Length; j++)
            {
                (j < testCount ? testRows : trainRows).Add(u);
                (j < testCount ? testCols : trainCols).Add(items[j]);
            }
        }
        return TrainTestParts.Build(grouped.UserCount, itemIndex.Count, trainRows, trainCols, testRows, testCols, notes, duplicates)
            with { Ids = new SourceIds(SourceIds.Text(itemIndex), SourceIds.Text(grouped.UserIds)) };
    }
}
