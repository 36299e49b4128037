using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.Baselines;

/// <summary>Shared scoring pieces: users' rows as dense tensors, candidate selection, request checks.</summary>
internal static class Scoring
{
    /// <summary>The rows of <paramref name="matrix"/> as a dense [rows, columns] float32 0/1 tensor on <paramref name="device"/>
    /// (one upload of the entry indices, no per-row transfers).</summary>
    public static Tensor DenseRows(InteractionMatrix matrix, Device device)
    {
        using var scope = NewDisposeScope();
        var dense = zeros(matrix.Rows, matrix.Columns, dtype: float32, device: device);
        if (matrix.Count > 0)
        {
            var rows = tensor(matrix.EntryRows(), dtype: int64, device: device);
            var columns = tensor(matrix.ColumnIndices.ToArray(), dtype: int64, device: device);
            dense.index_put_(ones(matrix.Count, dtype: float32, device: device), rows, columns);
        }
        return dense.MoveToOuterDisposeScope();
    }

    /// <summary>The request's users as an int64 tensor on <paramref name="device"/>, checked against the user count.</summary>
    public static Tensor Users(ScoreRequest request, long users, Device device)
    {
        CheckUsers(request, users);
        return tensor(request.Users, dtype: int64, device: device);
    }

    public static void CheckUsers(ScoreRequest request, long users)
    {
        foreach (var u in request.Users)
            if ((ulong)u >= (ulong)users) throw new ArgumentOutOfRangeException(nameof(request), $"user {u} is outside [0, {users})");
    }

    /// <summary>[batch, items] scores narrowed to the request's candidates ([batch, c]) when it has them;
    /// otherwise the scores themselves.</summary>
    public static Tensor Select(Tensor scores, ScoreRequest request) =>
        request.Candidates is { } candidates ? scores.gather(1, candidates) : scores;

    /// <summary>The rows to score for an inductive model: the request's history, else the users' training rows.</summary>
    public static InteractionMatrix History(ScoreRequest request, TrainingSet train)
    {
        if (request.History is { } history)
        {
            if (history.Rows != request.Count)
                throw new ArgumentException($"the request has {request.Count} users but {history.Rows} history rows");
            if (history.Columns != train.Items)
                throw new ArgumentException($"the history has {history.Columns} items, the model was trained on {train.Items}");
            return history;
        }
        CheckUsers(request, train.Users);
        return train.UserItems.SelectRows(request.Users.Select(u => (int)u).ToArray());
    }
}
