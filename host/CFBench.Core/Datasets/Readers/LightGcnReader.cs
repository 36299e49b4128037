using System.Runtime.InteropServices;
using CFBench.Contracts;
using CFBench.Core.Datasets.Parsing;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// The LightGCN/NGCF format: <c>train.txt</c> and <c>test.txt</c>, one line per user, <c>user item item ...</c>
/// (0-based ids, space separated, items unsorted; a line may hold only the user id). As in the official loaders,
/// users and items number max id + 1 over both files, empty lines are skipped, and a user without test items is
/// simply absent from evaluation. Duplicate pairs are dropped and counted, as are train/test overlaps.
/// </summary>
public sealed class LightGcnReader : IDatasetReader
{
    public const string TrainFile = "train.txt";
    public const string TestFile = "test.txt";

    public string Format => "lightgcn";

    public IReadOnlyList<string> FilesToRead(DatasetCard card) => new[] { TrainFile, TestFile };

    public DatasetParts Read(DatasetCard card, string directory) =>
        Read(Path.Combine(directory, TrainFile), Path.Combine(directory, TestFile), IdBounds.For(card));

    public static DatasetParts Read(string trainPath, string testPath, IdBounds? bounds = null)
    {
        bounds ??= IdBounds.Default;
        var train = ReadFile(trainPath, bounds);
        var test = ReadFile(testPath, bounds);
        int users = Math.Max(train.MaxUser, test.MaxUser) + 1;
        int items = Math.Max(train.MaxItem, test.MaxItem) + 1;

        var trainMatrix = InteractionMatrix.FromPairs(users, items, CollectionsMarshal.AsSpan(train.Users), CollectionsMarshal.AsSpan(train.Items));
        var testMatrix = InteractionMatrix.FromPairs(users, items, CollectionsMarshal.AsSpan(test.Users), CollectionsMarshal.AsSpan(test.Items));
        long duplicates = train.Items.Count - trainMatrix.Count + test.Items.Count - testMatrix.Count;

        var notes = new Dictionary<string, long>();
        long noTrain = MatrixStats.EmptyRows(trainMatrix);
        if (noTrain > 0) notes["users without train items"] = noTrain;
        if (train.RepeatedUserLines + test.RepeatedUserLines > 0)
            notes["user lines repeated (merged)"] = train.RepeatedUserLines + test.RepeatedUserLines;
        if (train.EmptyLines + test.EmptyLines > 0) notes["empty lines skipped"] = train.EmptyLines + test.EmptyLines;

        var stats = new DatasetLoadStats(users, items, trainMatrix.Count, testMatrix.Count,
            DuplicatesDropped: duplicates,
            UsersWithoutTest: MatrixStats.EmptyRows(testMatrix),
            TrainTestOverlap: MatrixStats.Overlap(trainMatrix, testMatrix),
            Notes: notes);
        return new DatasetParts(trainMatrix, testMatrix, null, null, null, stats);
    }

    private sealed class UserLines
    {
        public readonly List<int> Users = new();
        public readonly List<int> Items = new();
        public int MaxUser = -1, MaxItem = -1;
        public long RepeatedUserLines, EmptyLines;
    }

    private static UserLines ReadFile(string path, IdBounds bounds)
    {
        var result = new UserLines();
        var seenUsers = new HashSet<int>();
        using var reader = new LineReader(path);
        while (reader.TryReadLine(out var line))
        {
            var fields = FieldSplitter.Whitespace(line);
            if (!fields.TryNext(out var first)) { result.EmptyLines++; continue; }
            int user = bounds.User(reader, reader.ParseLong(first, "user id"));
            if (!seenUsers.Add(user)) result.RepeatedUserLines++;
            result.MaxUser = Math.Max(result.MaxUser, user);
            while (fields.TryNext(out var field))
            {
                int item = bounds.Item(reader, reader.ParseLong(field, "item id"));
                result.MaxItem = Math.Max(result.MaxItem, item);
                result.Users.Add(user);
                result.Items.Add(item);
            }
        }
        return result;
    }
}
