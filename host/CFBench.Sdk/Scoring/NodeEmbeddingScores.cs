using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Sdk.Scoring;

/// <summary>
/// Scores of graph models whose final node embeddings hold users 0..U-1 then items (LightGCN, NGCF): a user's score
/// for an item is the inner product of their embeddings.
/// </summary>
public static class NodeEmbeddingScores
{
    /// <summary>[request users, items] scores, or [request users, candidates] when the request names candidates.</summary>
    /// <param name="nodes">[users + items, dim] final embeddings, users first.</param>
    public static Tensor For(ScoreRequest request, Tensor nodes, int users, int items)
    {
        foreach (var user in request.UserIds)
            if (user < 0 || user >= users) throw new ArgumentOutOfRangeException(nameof(request), $"user {user} is outside [0, {users})");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = nodes.index_select(0, tensor(request.UserIds, device: nodes.device)).mm(nodes.narrow(0, users, items).t());
        // Candidates are gathered from the full rows, so both requests give bit-identical scores (and ties).
        if (request.Candidates is { } candidates) scores = scores.gather(1, candidates);
        return scores.MoveToOuterDisposeScope();
    }
}
