using CFBench.Contracts;
using CFBench.Sdk;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBenchPlugin;

/// <summary>Declares the model: `cfbench models` lists it, and a suite in bench.json names it.</summary>
public sealed class CFBenchPluginProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "CFBenchPlugin",
        Family: "matrix factorization",
        Paper: "Rendle et al., BPR: Bayesian Personalized Ranking from Implicit Feedback (UAI 2009)",
        Description: "User and item embeddings scored by inner product, trained with the BPR loss on triplets drawn by CFBench.Sdk's TripletSampler.",
        Parameters: new[]
        {
            HyperParameter.Int("embedding_dim", 32, "Size of the user and item embeddings.", 1, 4096),
            HyperParameter.Float("lr", 0.01, "Adam learning rate.", 0, 1),
            HyperParameter.Int("batch_size", 4096, "Triplets per Adam step.", 1, 1 << 24),
        },
        Variants: Array.Empty<ModelVariant>());

    public IRecommender Create() => new CFBenchPluginRecommender();
}

/// <summary>BPR matrix factorisation. All randomness comes from generators seeded by the run, so a seed gives the
/// same numbers every time, and the checkpoint holds everything a resumed run needs.</summary>
public sealed class CFBenchPluginRecommender : IRecommender
{
    private const int InitStream = 0;
    private const int SamplingStream = 1;

    private Device? _device;
    private Parameter? _users;   // [users, dim]
    private Parameter? _items;   // [items, dim]
    private Adam? _optimizer;
    private TripletSampler? _sampler;
    private Generator? _sampling;
    private long _batchSize;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        var dim = parameters.Int("embedding_dim");
        _batchSize = parameters.Int("batch_size");
        _device = context.Device;
        using (var init = context.CreateGenerator(InitStream))
        {
            _users = new Parameter(context.Normal(new[] { (long)train.Users, dim }, 0.1, init));
            _items = new Parameter(context.Normal(new[] { (long)train.Items, dim }, 0.1, init));
        }
        _optimizer = optim.Adam(new[] { _users, _items }, lr: parameters.Float("lr"));
        _sampler = new TripletSampler(train.UserItems, context.Device);
        _sampling = context.CreateGenerator(SamplingStream);
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        using var triplets = _sampler!.Sample(PairSampling.EdgePermutation, _sampling!);
        double total = 0;
        long batches = 0;
        for (long start = 0; start < triplets.Count; start += _batchSize, batches++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(_batchSize, triplets.Count - start);
            var u = _users!.index_select(0, triplets.Users.narrow(0, start, length));
            var i = _items!.index_select(0, triplets.Positives.narrow(0, start, length));
            var j = _items.index_select(0, triplets.Negatives.narrow(0, start, length));
            var loss = nn.functional.softplus((u * j).sum(1) - (u * i).sum(1)).mean();
            _optimizer!.zero_grad();
            loss.backward();
            _optimizer.step();
            total += loss.item<float>();
        }
        return new EpochReport(batches == 0 ? 0 : total / batches, triplets.Count);
    }

    public Tensor Score(ScoreRequest request)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u = _users!.index_select(0, tensor(request.UserIds, dtype: int64, device: _device!));
        var scores = u.matmul(_items!.t());
        if (request.Candidates is { } candidates) scores = scores.gather(1, candidates);
        return scores.MoveToOuterDisposeScope();
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        CheckpointIO.WriteTensor(writer, "users", _users!);
        CheckpointIO.WriteTensor(writer, "items", _items!);
        CheckpointIO.WriteGenerator(writer, "sampling", _sampling!);
        _optimizer!.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        CheckpointIO.ReadTensorInto(reader, "users", _users!);
        CheckpointIO.ReadTensorInto(reader, "items", _items!);
        CheckpointIO.ReadGeneratorInto(reader, "sampling", _sampling!);
        _optimizer!.load_state_dict(reader);
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        _users?.Dispose();
        _items?.Dispose();
        _sampler?.Dispose();
        _sampling?.Dispose();
    }
}
