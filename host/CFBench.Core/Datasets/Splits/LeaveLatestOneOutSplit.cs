using CFBench.Contracts;

namespace CFBench.Core.Datasets.Splits;

/// <summary>
/// Leave-latest-one-out (NCF): users and items in ascending raw id; each user's rating with the latest timestamp
/// (the later line on a tie) is its test item, the rest is training data. A user with a single rating keeps it in
/// training and has no test item (counted).
/// </summary>
public static class LeaveLatestOneOutSplit
{
    public static DatasetParts Apply(UserGroupedLog grouped, Dictionary<string, long> notes, long duplicates)
    {
        var log = grouped.Log;
        var itemIndex = grouped.ItemsInAscendingOrder();
        var trainRows = new List<int>();
        var trainCols = new List<int>();
        var testRows = new List<int>();
        var testCols = new List<int>();
        for (int u = 0; u < grouped.UserCount; u++)
        {
            var records = grouped.RecordsOf(u);
            int latest = -1;
            if (records.Length >= 2)
            {
                latest = records[0];
                foreach (var k in records) if (log.Timestamps[k] >= log.Timestamps[latest]) latest = k;
            }
            foreach (var k in records)
            {
                (k == latest ? testRows : trainRows).Add(u);
                (k == latest ? testCols : trainCols).Add(itemIndex[log.Items[k]]);
            }
        }
        return TrainTestParts.Build(grouped.UserCount, itemIndex.Count, trainRows, trainCols, testRows, testCols, notes, duplicates)
            with { Ids = new SourceIds(SourceIds.Text(itemIndex), SourceIds.Text(grouped.UserIds)) };
    }
}
