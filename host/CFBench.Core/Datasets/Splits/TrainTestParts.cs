using CFBench.Contracts;

namespace CFBench.Core.Datasets.Splits;

/// <summary>Builds the parts of a train/test split of one user set from (row, column) lists.</summary>
internal static class TrainTestParts
{
    public static DatasetParts Build(int users, int items, List<int> trainRows, List<int> trainCols,
        List<int> testRows, List<int> testCols, Dictionary<string, long> notes, long duplicates)
    {
        var train = InteractionMatrix.FromPairs(users, items, trainRows.ToArray(), trainCols.ToArray());
        var test = InteractionMatrix.FromPairs(users, items, testRows.ToArray(), testCols.ToArray());
        var stats = new DatasetLoadStats(users, items, train.Count, test.Count,
            DuplicatesDropped: duplicates,
            UsersWithoutTest: Readers.MatrixStats.EmptyRows(test),
            TrainTestOverlap: Readers.MatrixStats.Overlap(train, test),
            Notes: notes);
        return new DatasetParts(train, test, null, null, null, stats);
    }
}
