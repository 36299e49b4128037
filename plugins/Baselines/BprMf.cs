using CFBench.Contracts;
using CFBench.Sdk;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.Baselines;

public sealed class BprMfProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "BPR-MF",
        Family: "matrix factorization",
        Paper: "Rendle et al., BPR: Bayesian Personalized Ranking from Implicit Feedback (UAI 2009), as the MF baseline of He et al., LightGCN (SIGIR 2020)",
        Description: "User and item embeddings scored by inner product, trained with the BPR loss on sampled triplets and an L2 penalty on the batch's embeddings, as in LightGCN's official code.",
        Parameters: new[]
        {
            HyperParameter.Int("embedding_dim", 64, "Size of the user and item embeddings.", 1, 4096),
            HyperParameter.Float("init_std", 0.1, "Standard deviation of the normal initialisation N(0, init_std²).", 0, 10),
            HyperParameter.Float("lr", 0.001, "Adam learning rate.", 0, 1),
            HyperParameter.Float("reg", 1e-4, "L2 weight: loss += reg · ½(|u|² + |i|² + |j|²) / batch, over the batch's embeddings (LightGCN's decay).", 0, 10),
            HyperParameter.Int("batch_size", 2048, "Triplets per Adam step.", 1, 1 << 24),
            HyperParameter.Choice("sampling", "user-uniform",
                "How an epoch draws (user, positive) pairs: user-uniform = |train| draws of a random user and one of its items (official LightGCN sampler); edge-permutation = every interaction once.",
                "user-uniform", "edge-permutation"),
        },
        Variants: Array.Empty<ModelVariant>());

    public IRecommender Create() => new BprMf();
}

/// <summary>BPR matrix factorisation. Triplets are drawn on the device by <see cref="TripletSampler"/>; the batch loop
/// stays on the device and the loss is read once per epoch.</summary>
public sealed class BprMf : IRecommender
{
    private const int InitStream = 0;
    private const int SamplingStream = 1;

    private RunContext? _context;
    private TrainingSet? _train;
    private Parameter? _users;   // [users, dim]
    private Parameter? _items;   // [items, dim]
    private Adam? _optimizer;
    private TripletSampler? _sampler;
    private Generator? _sampling;
    private PairSampling _pairs;
    private long _batchSize;
    private double _reg;
    private long _epoch;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        if (_context is not null) throw new InvalidOperationException("BPR-MF: Initialize was already called");
        _context = context;
        _train = train;
        var dim = parameters.Int("embedding_dim");
        var std = parameters.Float("init_std");
        _batchSize = parameters.Int("batch_size");
        _reg = parameters.Float("reg");
        _pairs = parameters.Choice("sampling") == "edge-permutation" ? PairSampling.EdgePermutation : PairSampling.UserUniform;

        using (var init = context.CreateGenerator(InitStream))
        using (no_grad())
        {
            _users = new Parameter(context.Normal(new long[] { train.Users, dim }, std, init), requires_grad: true);
            _items = new Parameter(context.Normal(new long[] { train.Items, dim }, std, init), requires_grad: true);
        }
        _optimizer = optim.Adam(new[] { _users, _items }, lr: parameters.Float("lr"));
        _sampler = new TripletSampler(train.UserItems, context.Device);
        _sampling = context.CreateGenerator(SamplingStream);
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        var (users, items, optimizer, sampler) = (_users!, _items!, _optimizer!, _sampler ?? throw new InvalidOperationException("BPR-MF: Initialize was not called"));
        using var triplets = sampler.Sample(_pairs, _sampling!);
        var count = triplets.Count;
        using var total = zeros(1, dtype: float64, device: _context!.Device);
        long batches = 0;
        for (long start = 0; start < count; start += _batchSize, batches++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(_batchSize, count - start);
            var u = users.index_select(0, triplets.Users.narrow(0, start, length));
            var i = items.index_select(0, triplets.Positives.narrow(0, start, length));
            var j = items.index_select(0, triplets.Negatives.narrow(0, start, length));
            var ranking = nn.functional.softplus((u * j).sum(1) - (u * i).sum(1)).mean();
            var penalty = (u.square().sum() + i.square().sum() + j.square().sum()) * (0.5 / length);
            var loss = ranking + penalty * _reg;
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            using (no_grad()) total.add_(loss.detach().to(float64));
        }
        _epoch++;
        var mean = batches == 0 ? 0 : total.item<double>() / batches;
        return new EpochReport(mean, count, new Dictionary<string, double> { ["negative_collisions"] = sampler.LastCollisions });
    }

    public Tensor Score(ScoreRequest request)
    {
        var (users, items) = (_users ?? throw new InvalidOperationException("BPR-MF: Initialize was not called"), _items!);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u = users.index_select(0, Scoring.Users(request, _train!.Users, _context!.Device));
        Tensor scores;
        if (request.Candidates is { } candidates)
        {
            var candidateItems = items.index_select(0, candidates.reshape(-1)).view(candidates.shape[0], candidates.shape[1], -1);
            scores = (candidateItems * u.unsqueeze(1)).sum(-1);
        }
        else
        {
            scores = u.matmul(items.t());
        }
        return scores.detach().MoveToOuterDisposeScope();
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_epoch);
        CheckpointIO.WriteTensor(writer, "user_embedding", _users!);
        CheckpointIO.WriteTensor(writer, "item_embedding", _items!);
        CheckpointIO.WriteGenerator(writer, "sampling_generator", _sampling!);
        _optimizer!.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        if (_users is null) throw new InvalidOperationException("BPR-MF: LoadCheckpoint before Initialize");
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        _epoch = reader.ReadInt64();
        CheckpointIO.ReadTensorInto(reader, "user_embedding", _users);
        CheckpointIO.ReadTensorInto(reader, "item_embedding", _items!);
        CheckpointIO.ReadGeneratorInto(reader, "sampling_generator", _sampling!);
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
