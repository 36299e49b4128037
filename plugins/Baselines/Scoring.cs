using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.Baselines;

/// <summary>Shared scoring pieces: candidate selection, request checks.</summary>
internal static class Scoring
{
    /// <summary>The request's users as an int64 tensor on <paramref name="device"/>, checked against the user count.</summary>
    public static Tensor Users(ScoreRequest request, long users, Device device)
    {
        CheckUsers(request, users);
        return tensor(request.UserIds, dtype: int64, device: device);
    }

    public static void CheckUsers(ScoreRequest request, long users)
    {
        foreach (var u in request.UserIds)
            if ((ulong)u >= (ulong)users) throw new ArgumentOutOfRangeException(nameof(request), $"user {u} is outside [0, {users})");
    }

    /// <summary>[batch, items] scores narrowed to the request's candidates ([batch, c]) when it has them;
    /// otherwise the scores themselves.</summary>
    public static Tensor Select(Tensor scores, ScoreRequest request) =>
        request.Candidates is { } candidates ? scores.gather(1, candidates) : scores;

    /// <summary>The rows an inductive model scores from: the request's history (training items, or a held-out user's
    /// fold-in items), checked against the model's item count.</summary>
    public static InteractionMatrix History(ScoreRequest request, TrainingSet train)
    {
        if (request.History.Columns != train.Items)
            throw new ArgumentException($"the history has {request.History.Columns} items, the model was trained on {train.Items}");
        return request.History;
    }
}
