using TorchSharp;

namespace CFBench.Contracts;

/// <summary>
/// A batch of users to score. <see cref="Users"/> are ids in the training user space (transductive models
/// use them). <see cref="History"/>, when set, holds one row per requested user with the interactions the
/// model may look at (inductive models such as EASE or Mult-VAE score from it; for held-out users it is their
/// fold-in set). <see cref="Candidates"/>, when set, is a [batch, c] int64 tensor on the run's device: only
/// those items are scored and the result is [batch, c]; otherwise it is [batch, items].
/// </summary>
public sealed record ScoreRequest(long[] Users, InteractionMatrix? History = null, torch.Tensor? Candidates = null)
{
    public int Count => Users.Length;
}
