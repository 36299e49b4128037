using CFBench.Contracts;

namespace CFBench.Core.Datasets.Splits;

/// <summary>
/// Mult-VAE's strong generalization (dawenl/vae_cf notebook): users (ascending raw id) are shuffled with the seed;
/// the last <c>testUsers</c> are test users, the <c>validationUsers</c> before them validation users, the rest
/// training users. Items are those seen by training users, numbered by first appearance in file order. Each held-out
/// user's items (restricted to those items) are split with a fresh stream from the same seed, as the notebook reseeds
/// per call: floor(testFraction·n) held out, the rest fold-in; users with fewer than <c>minItemsToSplit</c> items keep
/// all as fold-in. Our own <see cref="SeededRandom"/> is used, not numpy's, so the users picked differ from the notebook's.
/// </summary>
public static class StrongGeneralizationSplit
{
    public static DatasetParts Apply(UserGroupedLog grouped, SplitDeclaration split, Dictionary<string, long> notes, long duplicates)
    {
        int n = grouped.UserCount;
        if (split.ValidationUsers + split.TestUsers >= n)
            throw new DatasetException($"strong-generalization split: {split.ValidationUsers} validation + {split.TestUsers} test users leave no training user among {n}");
        var order = new int[n];
        for (int u = 0; u < n; u++) order[u] = u;
        new SeededRandom(split.Seed).Shuffle(order.AsSpan());
        int trainCount = n - split.ValidationUsers - split.TestUsers;
        var trainUsers = order[..trainCount];
        var validationUsers = order[trainCount..(trainCount + split.ValidationUsers)];
        var testUsers = order[(trainCount + split.ValidationUsers)..];

        var log = grouped.Log;
        var isTrainUser = new bool[n];
        foreach (var u in trainUsers) isTrainUser[u] = true;
        var userIndex = new Dictionary<long, int>(n);
        for (int u = 0; u < n; u++) userIndex[grouped.UserIds[u]] = u;
        var itemIndex = new Dictionary<long, int>();
        foreach (var k in grouped.KeptRecords)
            if (isTrainUser[userIndex[log.Users[k]]]) itemIndex.TryAdd(log.Items[k], itemIndex.Count);
        int items = itemIndex.Count;

        var rows = new List<int>();
        var cols = new List<int>();
        for (int b = 0; b < trainUsers.Length; b++)
            foreach (var k in grouped.RecordsOf(trainUsers[b]))
            {
                rows.Add(b);
                cols.Add(itemIndex[log.Items[k]]);
            }
        var train = InteractionMatrix.FromPairs(trainUsers.Length, items, rows.ToArray(), cols.ToArray());

        var (validation, validationKept) = HoldOut(grouped, validationUsers, itemIndex, split, "validation", notes);
        var (test, testKept) = HoldOut(grouped, testUsers, itemIndex, split, "test", notes);

        notes["training users"] = train.Rows;
        notes["validation users"] = validation.Count;
        notes["test users"] = test.Count;
        notes["validation fold-in interactions"] = validation.FoldIn.Count;
        notes["validation held-out interactions"] = validation.HeldOut.Count;
        notes["test fold-in interactions"] = test.FoldIn.Count;
        var stats = new DatasetLoadStats(train.Rows + validation.Count + test.Count, items, train.Count, test.HeldOut.Count,
            DuplicatesDropped: duplicates,
            UsersWithoutTest: Readers.MatrixStats.EmptyRows(test.HeldOut),
            Notes: notes);
        string[] IdsOf(IEnumerable<int> users) => SourceIds.Text(users.Select(u => grouped.UserIds[u]));
        return new DatasetParts(train, null, null, validation, test, stats)
        {
            Ids = new SourceIds(SourceIds.Text(itemIndex), IdsOf(trainUsers), IdsOf(validationKept), IdsOf(testKept)),
        };
    }

    /// <summary>The held-out users' fold-in and held-out items, and the users kept (row b is <c>Kept[b]</c>): a user
    /// without any item seen in training is dropped.</summary>
    private static (HeldOutUsers Users, List<int> Kept) HoldOut(UserGroupedLog grouped, int[] users, Dictionary<long, int> itemIndex,
        SplitDeclaration split, string label, Dictionary<string, long> notes)
    {
        var kept = new List<int>(users.Length);
        var rng = new SeededRandom(split.Seed);
        var foldRows = new List<int>();
        var foldCols = new List<int>();
        var heldRows = new List<int>();
        var heldCols = new List<int>();
        int row = 0;
        long dropped = 0, unsplit = 0;
        var itemsOfUser = new List<int>();
        foreach (var user in users)
        {
            itemsOfUser.Clear();
            foreach (var k in grouped.RecordsOf(user))
                if (itemIndex.TryGetValue(grouped.Log.Items[k], out var item)) itemsOfUser.Add(item);
            if (itemsOfUser.Count == 0) { dropped++; continue; }
            var heldOut = new bool[itemsOfUser.Count];
            if (itemsOfUser.Count >= split.MinItemsToSplit)
                foreach (var pick in rng.Choose(itemsOfUser.Count, (int)Math.Floor(split.TestFraction * itemsOfUser.Count)))
                    heldOut[pick] = true;
            else unsplit++;
            for (int j = 0; j < itemsOfUser.Count; j++)
            {
                (heldOut[j] ? heldRows : foldRows).Add(row);
                (heldOut[j] ? heldCols : foldCols).Add(itemsOfUser[j]);
            }
            kept.Add(user);
            row++;
        }
        if (dropped > 0) notes[$"{label} users dropped (no item seen in training)"] = dropped;
        if (unsplit > 0) notes[$"{label} users with < {split.MinItemsToSplit} items (all fold-in)"] = unsplit;
        int items = itemIndex.Count;
        return (new HeldOutUsers(
            InteractionMatrix.FromPairs(row, items, foldRows.ToArray(), foldCols.ToArray()),
            InteractionMatrix.FromPairs(row, items, heldRows.ToArray(), heldCols.ToArray())), kept);
    }
}
