using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Metrics;

namespace CFBench.Core.Protocols;

/// <summary>
/// <c>sampled</c> (NCF leave-one-out): the held-out item is ranked among the user's negatives only — the dataset's
/// fixed negatives file, or, when <see cref="ProtocolOptions.SampledNegatives"/> &gt; 0 or there is no file, that many
/// (default <see cref="DefaultNegatives"/>) distinct items drawn with the seed that are neither training nor held-out
/// items of the user. HR@K = 1 if the item is in the top K; NDCG@K = 1/log2(rank + 2), rank from 0. Nothing is masked
/// (the official code does not mask). See <see cref="ProtocolOptions.DuplicateNegative"/> for a held-out item that is
/// also among its own negatives.
/// Selection <c>validation</c>: one random training item per user with at least 2 training items is held out (the
/// model trains on the rest) and ranked among negatives drawn like the test ones (as many as the test file gives a
/// user at most, or <see cref="ProtocolOptions.SampledNegatives"/>), excluding all training and test items.
/// </summary>
public sealed class SampledProtocol(ProtocolOptions options) : RankingProtocol(options)
{
    public const string ProtocolName = "sampled";
    public const int DefaultNegatives = 99;

    protected override RecallDenominator Recall => RecallDenominator.Relevant;
    protected override bool MasksKnown => false;

    public override EvaluationPlan Plan(InteractionDataset data, long seed)
    {
        var train = data.Train;
        var test = data.Test ?? throw new DatasetException($"dataset '{data.Name}' has no test split; the {ProtocolName} protocol needs one");
        if (test.Rows != train.Rows || test.Columns != train.Columns)
            throw new DatasetException($"dataset '{data.Name}': test is {test.Rows}×{test.Columns} but train is {train.Rows}×{train.Columns}");
        var testUsers = Users(test);

        var fileNegatives = Options.SampledNegatives > 0 ? null : data.TestNegatives;
        var negatives = fileNegatives ?? NegativeSampler.Draw(train.Rows, train.Columns, testUsers, NegativeCount(null),
            new[] { train, test }, new SeededRandom(seed, Streams.TestNegatives));
        var testTarget = Targets.Build("test", data.Name, train, test, negatives);
        if (Options.Selection == ModelSelection.Test)
            return new EvaluationPlan(new TrainingSet(data.Name, train), testTarget, testTarget);

        var split = ValidationSplit.LeaveOneOut(train, seed);
        var validationNegatives = NegativeSampler.Draw(train.Rows, train.Columns, Users(split.Held), NegativeCount(fileNegatives),
            new[] { train, test }, new SeededRandom(seed, Streams.ValidationNegatives));
        var selection = Targets.Build("validation", data.Name, split.Fit, split.Held, validationNegatives);
        return new EvaluationPlan(new TrainingSet(data.Name, split.Fit), selection, testTarget);
    }

    private int NegativeCount(InteractionMatrix? file)
    {
        if (Options.SampledNegatives > 0) return Options.SampledNegatives;
        if (file is null || file.Rows == 0) return DefaultNegatives;
        int most = 0;
        for (int u = 0; u < file.Rows; u++) most = Math.Max(most, file.RowLength(u));
        return most > 0 ? most : DefaultNegatives;
    }

    private static int[] Users(InteractionMatrix m) => Enumerable.Range(0, m.Rows).Where(u => m.RowLength(u) > 0).ToArray();
}
