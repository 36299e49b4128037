using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Metrics;

namespace CFBench.Core.Protocols;

/// <summary>
/// <c>strong-generalization</c> (Mult-VAE): held-out users, unseen in training, are scored from their fold-in items
/// (<see cref="ScoreRequest.History"/>; <see cref="ScoreRequest.Users"/> are their row indices), fold-in items are
/// masked, and their held-out items graded: Recall@K = hits/min(K, |held-out|), NDCG@K with IDCG over
/// min(K, |held-out|). Selection <c>validation</c> uses the dataset's validation users (required); <c>test</c> the
/// test users.
/// </summary>
public sealed class StrongGeneralizationProtocol(ProtocolOptions options) : RankingProtocol(options)
{
    public const string ProtocolName = "strong-generalization";

    protected override RecallDenominator Recall => RecallDenominator.MinKRelevant;
    protected override bool MasksKnown => true;
    public override bool ScoresHeldOutUsers => true;

    public override EvaluationPlan Plan(InteractionDataset data, long seed)
    {
        var test = data.TestUsers ?? throw new DatasetException($"dataset '{data.Name}' has no held-out test users; the {ProtocolName} protocol needs them");
        var testTarget = HeldOut("test", data, test);
        var selection = Options.Selection == ModelSelection.Test
            ? testTarget
            : HeldOut("validation", data, data.ValidationUsers ?? throw new DatasetException(
                $"dataset '{data.Name}' has no held-out validation users; use the {ProtocolName} protocol with selection 'test'"));
        return new EvaluationPlan(new TrainingSet(data.Name, data.Train), selection, testTarget);
    }

    private static EvaluationTarget HeldOut(string name, InteractionDataset data, HeldOutUsers users)
    {
        if (users.FoldIn.Columns != data.Items || users.HeldOut.Columns != data.Items)
            throw new DatasetException($"dataset '{data.Name}': the {name} users have {users.FoldIn.Columns} items, training has {data.Items}");
        return Targets.Build(name, data.Name, users.FoldIn, users.HeldOut, scored: ScoredUsers.HeldOut);
    }
}
