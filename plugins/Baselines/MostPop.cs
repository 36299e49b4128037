using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.Baselines;

public sealed class MostPopProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "MostPop",
        Family: "baseline",
        Paper: "Item popularity (non-personalised reference point)",
        Description: "Scores every item by its number of training interactions; the same ranking for every user, known or held out.",
        Parameters: Array.Empty<HyperParameter>(),
        Variants: Array.Empty<ModelVariant>(),
        Inductive: true);

    public IRecommender Create() => new MostPop();
}

/// <summary>Item popularity in the training set. It has nothing to learn: the counts are taken in the first epoch.</summary>
public sealed class MostPop : IRecommender
{
    private TrainingSet? _train;
    private RunContext? _context;
    private Tensor? _popularity; // [items] float32

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        _train = train;
        _context = context;
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var (train, context) = Ready();
        if (_popularity is null)
        {
            var counts = train.UserItems.ColumnCounts().Select(c => (float)c).ToArray();
            _popularity = tensor(counts, dtype: float32, device: context.Device);
        }
        return new EpochReport(0, train.Interactions, new Dictionary<string, double> { ["closed_form"] = 1 });
    }

    public Tensor Score(ScoreRequest request)
    {
        var (train, _) = Ready();
        var popularity = _popularity ?? throw new InvalidOperationException("MostPop: Score before the first TrainEpoch");
        using var scope = NewDisposeScope();
        Scoring.History(request, train);
        var scores = request.Candidates is { } candidates
            ? popularity.take(candidates)
            : popularity.unsqueeze(0).expand(request.Count, -1).contiguous();
        return scores.MoveToOuterDisposeScope();
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_popularity is not null);
        if (_popularity is not null) CheckpointIO.WriteTensor(writer, "popularity", _popularity);
    }

    public void LoadCheckpoint(Stream stream)
    {
        var (train, context) = Ready();
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBoolean()) return;
        _popularity ??= zeros(train.Items, dtype: float32, device: context.Device);
        CheckpointIO.ReadTensorInto(reader, "popularity", _popularity);
    }

    public void Dispose() => _popularity?.Dispose();

    private (TrainingSet, RunContext) Ready() =>
        (_train ?? throw new InvalidOperationException("MostPop: Initialize was not called"), _context!);
}
