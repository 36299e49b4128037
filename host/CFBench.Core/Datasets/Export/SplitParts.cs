using CFBench.Contracts;
using CFBench.Core.Protocols;

namespace CFBench.Core.Datasets.Export;

/// <summary>One file of a split export: a matrix whose row b is the user <c>UserIds[b]</c> and whose column j is the
/// item <c>ItemIds[j]</c>, ids as the dataset's files give them. <see cref="Source"/> is <c>dataset</c> (the card's
/// split, drawn at load time) or <c>protocol</c> (drawn by the suite's protocol with the run's seed).</summary>
public sealed record SplitPart(string Name, string Source, string Description, InteractionMatrix Matrix,
    IReadOnlyList<string> UserIds, IReadOnlyList<string> ItemIds)
{
    public string FileName => Name + ".tsv";
}

/// <summary>The parts of a dataset's split, and of the split a protocol draws from it for a run.</summary>
public static class SplitParts
{
    /// <summary>train, test and test-negatives (same users), or train and the held-out users' validation-fold-in,
    /// validation-held-out, test-fold-in and test-held-out; whichever the dataset has.</summary>
    public static IReadOnlyList<SplitPart> OfDataset(InteractionDataset data)
    {
        var items = ItemIds(data);
        var users = TrainingUserIds(data);
        var parts = new List<SplitPart> { new("train", "dataset", "training interactions", data.Train, users, items) };
        if (data.Test is { } test) parts.Add(new("test", "dataset", "test interactions of the training users", test, users, items));
        if (data.TestNegatives is { } negatives)
            parts.Add(new("test-negatives", "dataset", "each test user's fixed negative candidates", negatives, users, items));
        if (data.ValidationUsers is { } validation)
        {
            var ids = HeldOutIds(data, data.Ids?.ValidationUsers, validation, "validation");
            parts.Add(new("validation-fold-in", "dataset", "validation users' fold-in items (what a model sees)", validation.FoldIn, ids, items));
            parts.Add(new("validation-held-out", "dataset", "validation users' held-out items (what is graded)", validation.HeldOut, ids, items));
        }
        if (data.TestUsers is { } heldOutTest)
        {
            var ids = HeldOutIds(data, data.Ids?.TestUsers, heldOutTest, "test");
            parts.Add(new("test-fold-in", "dataset", "test users' fold-in items (what a model sees)", heldOutTest.FoldIn, ids, items));
            parts.Add(new("test-held-out", "dataset", "test users' held-out items (what is graded)", heldOutTest.HeldOut, ids, items));
        }
        return parts;
    }

    /// <summary>What a run with this plan used beyond the dataset's parts: <c>fit</c> (the training interactions the
    /// model is given), and for a validation drawn from the training users <c>validation</c> and its
    /// <c>validation-negatives</c>, and the <c>test-negatives</c> the test users are ranked against (sampled protocol).
    /// Held-out users (strong generalization) are the dataset's own parts.</summary>
    public static IReadOnlyList<SplitPart> OfPlan(InteractionDataset data, EvaluationPlan plan)
    {
        var items = ItemIds(data);
        var users = TrainingUserIds(data);
        var parts = new List<SplitPart> { new("fit", "protocol", "training interactions the model is given (training minus validation)", plan.Train.UserItems, users, items) };
        if (!ReferenceEquals(plan.Selection, plan.Test) && plan.Selection.Scored == ScoredUsers.Training)
        {
            var rows = plan.Selection.Users.Select(u => users[u]).ToArray();
            parts.Add(new("validation", "protocol", "validation items held out of training (the selection target)", plan.Selection.Relevant, rows, items));
            if (plan.Selection.Candidates is { } candidates)
                parts.Add(new("validation-negatives", "protocol", "each validation user's negative candidates", candidates, rows, items));
        }
        if (plan.Test.Candidates is { } testCandidates && plan.Test.Scored == ScoredUsers.Training)
            parts.Add(new("test-negatives", "protocol", "each test user's negative candidates, as the protocol ranks them",
                testCandidates, plan.Test.Users.Select(u => users[u]).ToArray(), items));
        return parts;
    }

    private static IReadOnlyList<string> ItemIds(InteractionDataset data) =>
        data.Ids?.Items ?? Indices(data.Items);

    private static IReadOnlyList<string> TrainingUserIds(InteractionDataset data) =>
        data.Ids?.Users ?? Indices(data.Users);

    private static IReadOnlyList<string> HeldOutIds(InteractionDataset data, string[]? ids, HeldOutUsers users, string label) =>
        ids is not null && ids.Length == users.Count ? ids
        : throw new DatasetException($"dataset '{data.Name}': its reader gives no ids for the {label} users, so their interactions cannot be exported");

    private static string[] Indices(int count) => SourceIds.Text(Enumerable.Range(0, count).Select(i => (long)i));
}
