using CFBench.Contracts;
using CFBench.Core.Datasets;

namespace CFBench.Core.Protocols;

/// <summary>Builds evaluation targets from row-aligned matrices, keeping only users with something to grade
/// (as the official code does: users without test items are not averaged in).</summary>
internal static class Targets
{
    /// <summary>A target over the rows of <paramref name="relevant"/> that have items; row b is user <c>Users[b]</c>.</summary>
    public static EvaluationTarget Build(string name, string dataset, InteractionMatrix known, InteractionMatrix relevant,
        InteractionMatrix? candidates = null, ScoredUsers scored = ScoredUsers.Training)
    {
        if (known.Rows != relevant.Rows || known.Columns != relevant.Columns)
            throw new DatasetException($"dataset '{dataset}': the {name} split is {relevant.Rows}×{relevant.Columns} but its known items are {known.Rows}×{known.Columns}");
        if (candidates is not null && (candidates.Rows != relevant.Rows || candidates.Columns != relevant.Columns))
            throw new DatasetException($"dataset '{dataset}': the {name} negatives are {candidates.Rows}×{candidates.Columns}, expected {relevant.Rows}×{relevant.Columns}");
        var users = Enumerable.Range(0, relevant.Rows).Where(u => relevant.RowLength(u) > 0).ToArray();
        if (users.Length == 0)
            throw new DatasetException($"dataset '{dataset}': no user has {name} items");
        return new EvaluationTarget(name, users, known.SelectRows(users), relevant.SelectRows(users),
            candidates?.SelectRows(users), scored);
    }
}
