using CFBench.Contracts;
using CFBench.Core.Datasets.Parsing;
using CFBench.Core.Datasets.Splits;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// Any delimited file whose layout the card declares (<see cref="DelimitedLayout"/>). With a <c>given</c> split the
/// card names a train and a test file, already split (the LightGCN-PyTorch LastFM files: <c>data1.txt</c>,
/// <c>test1.txt</c>, <c>user&lt;TAB&gt;item&lt;TAB&gt;weight</c>, 1-based): ids are kept as written (made 0-based,
/// bounded by the card's statistics), users and items number max id + 1 over both files, and only the rating
/// threshold of the preprocessing applies. Otherwise the card lists one log, read as the <c>raw</c> format reads
/// MovieLens files: preprocessing, then the declared split.
/// </summary>
public sealed class DelimitedReader : IDatasetReader
{
    public string Format => "delimited";

    public IReadOnlyList<string> FilesToRead(DatasetCard card)
    {
        var split = SplitDeclaration.Parse(card.Split, card.Name);
        if (split.Type == SplitDeclaration.Given) return new[] { split.Train!, split.Test! };
        return card.Files.Count == 1 ? new[] { card.Files[0].Name }
            : throw new DatasetException($"dataset '{card.Name}': a delimited card lists one log, or names its train and test files in a " +
                $"'given' split; it lists {card.Files.Count} files and its split is '{split.Type}'");
    }

    public DatasetParts Read(DatasetCard card, string directory)
    {
        var layout = DelimitedLayout.Parse(card.Layout, card.Name);
        var preprocessing = RawPreprocessing.Parse(card.Preprocessing, card.Name);
        var split = SplitDeclaration.Parse(card.Split, card.Name);
        if (split.Type != SplitDeclaration.Given)
            return RawLogReader.Read(RatingLog.Read(Path.Combine(directory, FilesToRead(card)[0]), layout), preprocessing, split);
        if (!preprocessing.AppliesToRecords)
            throw new DatasetException($"dataset '{card.Name}': preprocessing: a given split keeps its files as published; only " +
                "ratingAtLeast and ratingAbove apply to it");
        var bounds = IdBounds.For(card, layout.FirstId);
        return ReadGiven(RatingLog.Read(Path.Combine(directory, split.Train!), layout, bounds),
            RatingLog.Read(Path.Combine(directory, split.Test!), layout, bounds), preprocessing);
    }

    /// <summary>Train and test logs with 0-based ids, as a train/test pair of matrices (duplicates dropped and
    /// counted, ratings below the threshold dropped and counted).</summary>
    public static DatasetParts ReadGiven(RatingLog train, RatingLog test, RawPreprocessing preprocessing)
    {
        int users = (int)Math.Max(train.Users.DefaultIfEmpty(-1).Max(), test.Users.DefaultIfEmpty(-1).Max()) + 1;
        int items = (int)Math.Max(train.Items.DefaultIfEmpty(-1).Max(), test.Items.DefaultIfEmpty(-1).Max()) + 1;
        var notes = new Dictionary<string, long>();
        var (trainMatrix, trainKept) = Matrix(train, preprocessing, users, items);
        var (testMatrix, testKept) = Matrix(test, preprocessing, users, items);
        if (preprocessing.RatingAtLeast is not null || preprocessing.RatingAbove is not null)
            notes["ratings below the threshold"] = train.Count - trainKept + test.Count - testKept;
        long noTrain = MatrixStats.EmptyRows(trainMatrix);
        if (noTrain > 0) notes["users without train items"] = noTrain;
        var stats = new DatasetLoadStats(users, items, trainMatrix.Count, testMatrix.Count,
            DuplicatesDropped: trainKept - trainMatrix.Count + testKept - testMatrix.Count,
            UsersWithoutTest: MatrixStats.EmptyRows(testMatrix),
            TrainTestOverlap: MatrixStats.Overlap(trainMatrix, testMatrix),
            Notes: notes);
        return new DatasetParts(trainMatrix, testMatrix, null, null, null, stats);
    }

    private static (InteractionMatrix Matrix, long Kept) Matrix(RatingLog log, RawPreprocessing preprocessing, int users, int items)
    {
        var rows = new List<int>(log.Count);
        var cols = new List<int>(log.Count);
        for (int k = 0; k < log.Count; k++)
        {
            if (!preprocessing.Keeps(log.Ratings[k])) continue;
            rows.Add((int)log.Users[k]);
            cols.Add((int)log.Items[k]);
        }
        return (InteractionMatrix.FromPairs(users, items, rows.ToArray(), cols.ToArray()), rows.Count);
    }
}
