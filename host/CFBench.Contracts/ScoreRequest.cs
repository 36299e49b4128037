using TorchSharp;

namespace CFBench.Contracts;

/// <summary>Whose rows a <see cref="ScoreRequest"/> holds.</summary>
public enum ScoredUsers
{
    /// <summary>Users the model trained on: <see cref="ScoreRequest.UserIds"/> are their ids in the training set.</summary>
    Training,
    /// <summary>Users the model never saw (strong generalization): they have no id, only their fold-in items in
    /// <see cref="ScoreRequest.History"/>. Only inductive models (<see cref="ModelInfo.Inductive"/>) are asked to
    /// score them; the host refuses the run for any other model before training.</summary>
    HeldOut,
}

/// <summary>
/// A batch of users to score. <see cref="History"/> holds one row per requested user with the items the model may
/// look at: the user's training items, or a held-out user's fold-in items. Inductive models (EASE, Mult-VAE) score
/// from it; transductive ones (BPR-MF, LightGCN) read <see cref="UserIds"/>, which exist only for training users.
/// <see cref="Candidates"/>, when set, is a [batch, c] int64 tensor on the run's device: only those items are
/// scored and the result is [batch, c]; otherwise it is [batch, items].
/// </summary>
public sealed class ScoreRequest
{
    private readonly long[]? _userIds;

    private ScoreRequest(ScoredUsers users, long[]? userIds, InteractionMatrix history, torch.Tensor? candidates)
    {
        Users = users;
        _userIds = userIds;
        History = history;
        Candidates = candidates;
    }

    /// <summary>Training users <paramref name="userIds"/>; row b of <paramref name="history"/> is user b's training items.</summary>
    public static ScoreRequest ForTrainingUsers(long[] userIds, InteractionMatrix history, torch.Tensor? candidates = null)
    {
        if (history.Rows != userIds.Length)
            throw new ArgumentException($"history has {history.Rows} rows for {userIds.Length} users");
        return new ScoreRequest(ScoredUsers.Training, userIds, history, candidates);
    }

    /// <summary>Held-out users, one per row of <paramref name="foldIn"/> (their fold-in items).</summary>
    public static ScoreRequest ForHeldOutUsers(InteractionMatrix foldIn, torch.Tensor? candidates = null) =>
        new(ScoredUsers.HeldOut, null, foldIn, candidates);

    public ScoredUsers Users { get; }

    /// <summary>The training-user ids of the rows. Held-out users have none: asking throws, so a transductive model
    /// can never score a held-out user with a training user's embedding.</summary>
    public long[] UserIds => _userIds ?? throw new InvalidOperationException(
        "this request holds held-out users, who have no training ids: score them from History (an inductive model)");

    public InteractionMatrix History { get; }

    public torch.Tensor? Candidates { get; }

    public int Count => History.Rows;
}
