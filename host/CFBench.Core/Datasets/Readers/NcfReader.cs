using System.Runtime.InteropServices;
using CFBench.Contracts;
using CFBench.Core.Datasets.Parsing;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// The NCF format (hexiangnan/neural_collaborative_filtering <c>Data/</c>): <c>*.train.rating</c> or
/// <c>*.train.pairs</c> (<c>user\titem[\trating\ttimestamp]</c>), <c>*.test.rating</c> (<c>user\titem\trating\ttimestamp</c>,
/// one held-out item per user) and <c>*.test.negative</c> (<c>(user,item)\tneg1\t...</c>). As in the official
/// <c>Dataset.py</c>: training pairs with rating 0 are skipped, the data is binarised, and line k of the negative file
/// belongs to line k of the test file. The negatives are kept as published, even where a user's held-out item is among
/// its own negatives (the protocol decides; counted in the notes).
/// </summary>
public sealed class NcfReader : IDatasetReader
{
    public string Format => "ncf";

    public IReadOnlyList<string> FilesToRead(DatasetCard card) =>
        new[] { TrainFile(card), One(card, ".test.rating"), One(card, ".test.negative") };

    private static string TrainFile(DatasetCard card)
    {
        var names = card.Files.Select(f => f.Name).Where(n => n.EndsWith(".train.rating") || n.EndsWith(".train.pairs")).ToList();
        return names.Count == 1 ? names[0]
            : throw new DatasetException($"dataset '{card.Name}': an ncf card lists exactly one *.train.rating or *.train.pairs file (found {names.Count})");
    }

    private static string One(DatasetCard card, string suffix)
    {
        var names = card.Files.Select(f => f.Name).Where(n => n.EndsWith(suffix)).ToList();
        return names.Count == 1 ? names[0]
            : throw new DatasetException($"dataset '{card.Name}': an ncf card lists exactly one *{suffix} file (found {names.Count})");
    }

    public DatasetParts Read(DatasetCard card, string directory)
    {
        var files = FilesToRead(card);
        return Read(Path.Combine(directory, files[0]), Path.Combine(directory, files[1]), Path.Combine(directory, files[2]), IdBounds.For(card));
    }

    public static DatasetParts Read(string trainPath, string testPath, string negativePath, IdBounds? bounds = null)
    {
        bounds ??= IdBounds.Default;
        var notes = new Dictionary<string, long>();
        var trainUsers = new List<int>();
        var trainItems = new List<int>();
        int maxUser = -1, maxItem = -1;
        long zeroRatings = 0;
        using (var reader = new LineReader(trainPath))
        {
            while (reader.TryReadLine(out var line))
            {
                if (line.IsEmpty) continue;
                var fields = new FieldSplitter(line, "\t"u8);
                var (user, item) = UserItem(reader, ref fields, bounds);
                if (fields.TryNext(out var ratingField) && reader.ParseDouble(ratingField, "rating") <= 0) { zeroRatings++; continue; }
                trainUsers.Add(user);
                trainItems.Add(item);
                maxUser = Math.Max(maxUser, user);
                maxItem = Math.Max(maxItem, item);
            }
        }
        if (zeroRatings > 0) notes["training ratings of 0 skipped"] = zeroRatings;
        int trainMaxUser = maxUser, trainMaxItem = maxItem;

        var testUsers = new List<int>();
        var testItems = new List<int>();
        using (var reader = new LineReader(testPath))
        {
            while (reader.TryReadLine(out var line))
            {
                if (line.IsEmpty) continue;
                var fields = new FieldSplitter(line, "\t"u8);
                var (user, item) = UserItem(reader, ref fields, bounds);
                testUsers.Add(user);
                testItems.Add(item);
                maxUser = Math.Max(maxUser, user);
                maxItem = Math.Max(maxItem, item);
            }
        }

        var negativeUsers = new List<int>();
        var negativeItems = new List<int>();
        long heldOutAmongNegatives = 0, headerMismatch = 0, negativesPerLineMin = long.MaxValue, negativesPerLineMax = 0;
        int testLine = 0;
        using (var reader = new LineReader(negativePath))
        {
            while (reader.TryReadLine(out var line))
            {
                if (line.IsEmpty) continue;
                if (testLine >= testUsers.Count)
                    throw reader.Error($"more negative lines than the {testUsers.Count} lines of {Path.GetFileName(testPath)}");
                var fields = new FieldSplitter(line, "\t"u8);
                if (!fields.TryNext(out var head)) throw reader.Error("empty line");
                var (headUser, headItem) = ParsePair(reader, head);
                // Dataset.py pairs negative line k with test line k and ignores the (user,item) written here.
                int user = testUsers[testLine], heldOut = testItems[testLine];
                if (headUser != user || headItem != heldOut) headerMismatch++;
                long count = 0;
                bool containsHeldOut = false;
                while (fields.TryNext(out var field))
                {
                    if (field.IsEmpty) continue;
                    int item = bounds.Item(reader, reader.ParseLong(field, "negative item id"));
                    if (item == heldOut) containsHeldOut = true;
                    negativeUsers.Add(user);
                    negativeItems.Add(item);
                    maxItem = Math.Max(maxItem, item);
                    count++;
                }
                if (containsHeldOut) heldOutAmongNegatives++;
                negativesPerLineMin = Math.Min(negativesPerLineMin, count);
                negativesPerLineMax = Math.Max(negativesPerLineMax, count);
                testLine++;
            }
        }
        if (testLine != testUsers.Count)
            throw new DatasetException($"{negativePath}: {testLine} lines of negatives for the {testUsers.Count} lines of {Path.GetFileName(testPath)}");

        int users = maxUser + 1, items = maxItem + 1;
        var train = InteractionMatrix.FromPairs(users, items, CollectionsMarshal.AsSpan(trainUsers), CollectionsMarshal.AsSpan(trainItems));
        var test = InteractionMatrix.FromPairs(users, items, CollectionsMarshal.AsSpan(testUsers), CollectionsMarshal.AsSpan(testItems));
        var negatives = InteractionMatrix.FromPairs(users, items, CollectionsMarshal.AsSpan(negativeUsers), CollectionsMarshal.AsSpan(negativeItems));

        if (negativesPerLineMin != long.MaxValue)
        {
            notes["negatives per test user (min)"] = negativesPerLineMin;
            notes["negatives per test user (max)"] = negativesPerLineMax;
        }
        notes["held-out item among its own negatives"] = heldOutAmongNegatives;
        if (negativeItems.Count != negatives.Count) notes["repeated negatives within a line"] = negativeItems.Count - negatives.Count;
        if (headerMismatch > 0) notes["negative lines whose (user,item) differs from the test line"] = headerMismatch;
        long negativesInTrain = MatrixStats.Overlap(train, negatives);
        if (negativesInTrain > 0) notes["negatives that are training items"] = negativesInTrain;
        if (testUsers.Count != test.Count) notes["duplicate test lines"] = testUsers.Count - test.Count;
        long severalTest = 0;
        for (int u = 0; u < users; u++) if (test.RowLength(u) > 1) severalTest++;
        if (severalTest > 0) notes["users with several test items"] = severalTest;
        if (maxUser > trainMaxUser || maxItem > trainMaxItem)
            notes["test/negative ids beyond the training file's range"] = 1;
        long noTrain = MatrixStats.EmptyRows(train);
        if (noTrain > 0) notes["users without train items"] = noTrain;

        var stats = new DatasetLoadStats(users, items, train.Count, test.Count,
            DuplicatesDropped: trainItems.Count - train.Count,
            UsersWithoutTest: MatrixStats.EmptyRows(test),
            TrainTestOverlap: MatrixStats.Overlap(train, test),
            Notes: notes);
        return new DatasetParts(train, test, negatives, null, null, stats);
    }

    private static (int User, int Item) UserItem(LineReader reader, ref FieldSplitter fields, IdBounds bounds)
    {
        if (!fields.TryNext(out var userField) || !fields.TryNext(out var itemField))
            throw reader.Error("expected user<TAB>item");
        return (bounds.User(reader, reader.ParseLong(userField, "user id")), bounds.Item(reader, reader.ParseLong(itemField, "item id")));
    }

    private static (int User, int Item) ParsePair(LineReader reader, ReadOnlySpan<byte> head)
    {
        if (head.Length < 5 || head[0] != (byte)'(' || head[^1] != (byte)')' || head.IndexOf((byte)',') < 0)
            throw reader.Error($"expected (user,item) first, found '{LineReader.Shown(head)}'");
        var inner = head[1..^1];
        int comma = inner.IndexOf((byte)',');
        return (reader.ParseInt(inner[..comma], "user id"), reader.ParseInt(inner[(comma + 1)..], "item id"));
    }
}
