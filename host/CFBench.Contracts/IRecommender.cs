using TorchSharp;

namespace CFBench.Contracts;

/// <summary>
/// A model under benchmark. The host owns data, splits, masking, metrics and storage; a recommender only
/// trains and scores. Calls come in this order: <see cref="Initialize"/>, then any number of
/// <see cref="TrainEpoch"/> / <see cref="Score"/> / checkpoint calls, then <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface IRecommender : IDisposable
{
    /// <summary>Allocates parameters on <see cref="RunContext.Device"/>, seeded by <see cref="RunContext.Seed"/>.</summary>
    void Initialize(TrainingSet train, ModelParameters parameters, RunContext context);

    /// <summary>Trains one epoch. Should check <paramref name="cancel"/> between batches and throw
    /// <see cref="OperationCanceledException"/> when asked to stop.</summary>
    EpochReport TrainEpoch(CancellationToken cancel);

    /// <summary>Scores a batch of users (see <see cref="ScoreRequest"/>): a float tensor on the run's device,
    /// higher is better. The host masks, ranks and grades.</summary>
    torch.Tensor Score(ScoreRequest request);

    /// <summary>Writes everything needed to continue training exactly: parameters, optimiser state, random
    /// generator states and the epoch counter the model keeps, if any.</summary>
    void SaveCheckpoint(Stream stream);

    /// <summary>Restores what <see cref="SaveCheckpoint"/> wrote, after <see cref="Initialize"/>.</summary>
    void LoadCheckpoint(Stream stream);
}

/// <summary>The entry point of a model in a plugin assembly: the catalog creates one instance of every public
/// non-abstract implementation with a parameterless constructor.</summary>
public interface IModelProvider
{
    ModelInfo Info { get; }

    IRecommender Create();
}
