using System.Text;
using CFBench.Contracts;

namespace CFBench.Core.Datasets.Subsets;

/// <summary>How to cut a small dataset out of a train/test dataset.</summary>
public sealed record SubsetOptions(int Users, int MinItemCount, long Seed);

/// <summary>A subset with the source ids of its users and items (row r is source user <c>SourceUsers[r]</c>).</summary>
public sealed record Subset(InteractionMatrix Train, InteractionMatrix Test, int[] SourceUsers, int[] SourceItems,
    IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// A small deterministic subset of a train/test dataset (the bundled <c>gowalla-mini</c>): <see cref="SubsetOptions.Users"/>
/// users drawn with <see cref="SeededRandom"/> from the seed among those with training items; items kept when they have
/// at least <see cref="SubsetOptions.MinItemCount"/> training interactions among the drawn users; train and test
/// restricted to those items; then users left without a train or a test item dropped (so kept items may end with fewer
/// than the minimum) (so that, like the source, every user
/// has both); users and items re-indexed in ascending source id. Written in the LightGCN format.
/// </summary>
public static class LightGcnSubset
{
    public static Subset Make(InteractionMatrix train, InteractionMatrix test, SubsetOptions options)
    {
        var candidates = Enumerable.Range(0, train.Rows).Where(u => train.RowLength(u) > 0).ToArray();
        if (options.Users <= 0 || options.Users > candidates.Length)
            throw new DatasetException($"subset: --users {options.Users} is not in [1, {candidates.Length}] (users with training items)");
        if (options.MinItemCount < 1) throw new DatasetException($"subset: --min-item-count {options.MinItemCount} must be at least 1");
        var drawn = new SeededRandom(options.Seed).Choose(candidates.Length, options.Users).Select(i => candidates[i]).Order().ToArray();

        var itemCounts = new int[train.Columns];
        foreach (var u in drawn) foreach (var i in train.Row(u)) itemCounts[i]++;
        var newItem = new int[train.Columns];
        var sourceItems = new List<int>();
        for (int i = 0; i < train.Columns; i++)
            newItem[i] = itemCounts[i] >= options.MinItemCount ? AddIndex(sourceItems, i) : -1;

        var sourceUsers = new List<int>();
        var trainRows = new List<int>();
        var trainCols = new List<int>();
        var testRows = new List<int>();
        var testCols = new List<int>();
        long noTrain = 0, noTest = 0;
        foreach (var u in drawn)
        {
            var trainItems = Remap(train.Row(u), newItem);
            var testItems = u < test.Rows ? Remap(test.Row(u), newItem) : new List<int>();
            if (trainItems.Count == 0) { noTrain++; continue; }
            if (testItems.Count == 0) { noTest++; continue; }
            int row = AddIndex(sourceUsers, u);
            foreach (var i in trainItems) { trainRows.Add(row); trainCols.Add(i); }
            foreach (var i in testItems) { testRows.Add(row); testCols.Add(i); }
        }
        int users = sourceUsers.Count, items = sourceItems.Count;
        var counts = new Dictionary<string, long>
        {
            ["users drawn"] = drawn.Length,
            ["users dropped: no train item left"] = noTrain,
            ["users dropped: no test item left"] = noTest,
            ["items kept"] = items,
        };
        return new Subset(
            InteractionMatrix.FromPairs(users, items, trainRows.ToArray(), trainCols.ToArray()),
            InteractionMatrix.FromPairs(users, items, testRows.ToArray(), testCols.ToArray()),
            sourceUsers.ToArray(), sourceItems.ToArray(), counts);
    }

    private static int AddIndex(List<int> list, int value)
    {
        list.Add(value);
        return list.Count - 1;
    }

    private static List<int> Remap(ReadOnlySpan<int> items, int[] newItem)
    {
        var result = new List<int>(items.Length);
        foreach (var i in items) if (newItem[i] >= 0) result.Add(newItem[i]);
        return result;
    }

    /// <summary>Writes <c>train.txt</c>, <c>test.txt</c> (LightGCN format, items ascending) and <c>user_list.txt</c>,
    /// <c>item_list.txt</c> (<c>source_id remap_id</c>) into <paramref name="directory"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(Subset subset, string directory)
    {
        Directory.CreateDirectory(directory);
        WriteLines(Path.Combine(directory, "train.txt"), subset.Train);
        WriteLines(Path.Combine(directory, "test.txt"), subset.Test);
        WriteIds(Path.Combine(directory, "user_list.txt"), subset.SourceUsers);
        WriteIds(Path.Combine(directory, "item_list.txt"), subset.SourceItems);
        return new[] { "train.txt", "test.txt", "user_list.txt", "item_list.txt" };
    }

    private static void WriteLines(string path, InteractionMatrix matrix)
    {
        var text = new StringBuilder();
        for (int u = 0; u < matrix.Rows; u++)
        {
            text.Append(u);
            foreach (var i in matrix.Row(u)) text.Append(' ').Append(i);
            text.Append('\n');
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    private static void WriteIds(string path, int[] sourceIds)
    {
        var text = new StringBuilder("source_id remap_id\n");
        for (int k = 0; k < sourceIds.Length; k++) text.Append(sourceIds[k]).Append(' ').Append(k).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }
}
