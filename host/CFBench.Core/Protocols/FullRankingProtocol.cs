using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Metrics;

namespace CFBench.Core.Protocols;

/// <summary>
/// <c>full-ranking</c> (LightGCN/NGCF): every item is scored, the user's training items are set to -inf, and the
/// top K is graded. Recall@K = hits/|test_u|, NDCG@K with IDCG over min(K, |test_u|), mean over users with test items.
/// Selection <c>validation</c> trains on the training data minus a seeded validation split and masks all original
/// training items at test time; <c>test</c> selects on the test set itself, as the official code does.
/// </summary>
public sealed class FullRankingProtocol(ProtocolOptions options) : RankingProtocol(options)
{
    public const string ProtocolName = "full-ranking";

    protected override RecallDenominator Recall => RecallDenominator.Relevant;
    protected override bool MasksKnown => true;

    public override EvaluationPlan Plan(InteractionDataset data, long seed)
    {
        var test = data.Test ?? throw new DatasetException($"dataset '{data.Name}' has no test split; the {ProtocolName} protocol needs one");
        var testTarget = Targets.Build("test", data.Name, data.Train, test);
        if (Options.Selection == ModelSelection.Test)
            return new EvaluationPlan(new TrainingSet(data.Name, data.Train), testTarget, testTarget);

        var split = ValidationSplit.ByFraction(data.Train, Options.ValidationFraction, seed);
        var selection = Targets.Build("validation", data.Name, split.Fit, split.Held);
        return new EvaluationPlan(new TrainingSet(data.Name, split.Fit), selection, testTarget);
    }
}
