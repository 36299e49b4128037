using CFBench.Contracts;
using CFBench.Sdk;
using CFBench.Sdk.Graph;
using CFBench.Sdk.Propagation;
using CFBench.Sdk.Scoring;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.LightGCN;

/// <summary>
/// LightGCN as the official PyTorch port trains it: every mini-batch propagates all layer-0 embeddings through
/// K light graph convolutions, combines the layers, scores (u, i, j) by inner products and takes an Adam step on
/// BPR + λ·½(|u⁰|²+|i⁰|²+|j⁰|²)/batch. Node ids: users 0..U-1, item i is U+i.
/// </summary>
public sealed class LightGcnRecommender : IRecommender
{
    private const string CheckpointTag = "CFBench.LightGCN/1";

    private LightGcnOptions _options = null!;
    private Device _device = CPU;
    private int _users, _items;
    private Parameter _embedding = null!;
    private Adam _adam = null!;
    private IPropagation _propagation = null!;
    private TripletSampler _sampler = null!;
    private Generator _sampling = null!;
    private Tensor? _propagated;   // final embeddings for scoring; valid until the next TrainEpoch
    private long _epoch;

    internal LightGcnOptions Options => _options;
    internal Parameter Embedding => _embedding;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        _options = LightGcnOptions.From(parameters);
        _device = context.Device;
        _users = train.Users;
        _items = train.Items;

        var adjacency = NormalizedAdjacency.Build(train, _options.Normalization);
        var kernel = SparsePropagation.Resolve(_options.Kernel, _device);
        _propagation = SparsePropagation.Create(adjacency, _device, kernel, _options.Dim, _options.MaxBag);

        using (var init = context.CreateGenerator(0))
        using (var values = context.Normal(new long[] { adjacency.Nodes, _options.Dim }, _options.InitStd, init))
            _embedding = new Parameter(values, requires_grad: true);
        _adam = optim.Adam(new[] { _embedding }, lr: _options.LearningRate);
        _sampler = new TripletSampler(train.UserItems, _device);
        _sampling = context.CreateGenerator(1);
        context.Log($"LightGCN: {adjacency.Nodes} nodes, {adjacency.Entries} adjacency entries, K={_options.Layers} " +
                    $"{_options.Combination} {_options.Normalization}, kernel {kernel}" +
                    (kernel == PropagationKernel.EmbeddingBag ? $" (max bag {_options.MaxBag})" : ""));
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        DropPropagated();
        using var triplets = _sampler.Sample(_options.Sampling, _sampling);
        long count = triplets.Count;
        int batches = (int)((count + _options.BatchSize - 1) / _options.BatchSize);
        using var lossSum = zeros(1, dtype: float64, device: _device);
        for (int b = 0; b < batches; b++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long start = (long)b * _options.BatchSize, length = Math.Min(_options.BatchSize, count - start);
            var loss = Step(triplets.Users.narrow(0, start, length),
                            triplets.Positives.narrow(0, start, length),
                            triplets.Negatives.narrow(0, start, length));
            lossSum.add_(loss.detach().to(float64));
        }
        _epoch++;
        var extra = new Dictionary<string, double> { ["negative_collisions"] = _sampler.LastCollisions };
        return new EpochReport(lossSum.item<double>() / Math.Max(batches, 1), count, extra);
    }

    /// <summary>One Adam step on a batch of (user, positive item, negative item); returns the batch loss.</summary>
    internal Tensor Step(Tensor users, Tensor positives, Tensor negatives)
    {
        var (loss, _) = Loss(users, positives, negatives);
        _adam.zero_grad();
        loss.backward();
        _adam.step();
        return loss;
    }

    /// <summary>BPR loss plus the L2 term of the official code, and the final embeddings it used.</summary>
    internal (Tensor Loss, Tensor Final) Loss(Tensor users, Tensor positives, Tensor negatives)
    {
        var final = Propagate();
        long b = users.shape[0];
        // One gather of the 3·b rows (not three): its backward writes one dense [nodes, dim] gradient, not three.
        var nodes = cat(new[] { users, positives + _users, negatives + _users });
        var picked = final.index_select(0, nodes);
        var u = picked.narrow(0, 0, b);
        var i = picked.narrow(0, b, b);
        var j = picked.narrow(0, 2 * b, b);
        var bpr = nn.functional.softplus((u * j).sum(1) - (u * i).sum(1)).mean();
        var l2 = _embedding.index_select(0, nodes).square().sum() * (0.5 / b);
        return (bpr + l2 * _options.Reg, final);
    }

    /// <summary>The final embeddings of all nodes: the layer combination of E^(0..K).</summary>
    internal Tensor Propagate()
    {
        using var scope = NewDisposeScope();
        Tensor x = _embedding;
        Tensor? sum = _options.Combination == LayerCombination.Mean ? _embedding.alias() : null;
        for (int k = 0; k < _options.Layers; k++)
        {
            x = _propagation.Propagate(x);
            if (sum is not null) sum = sum + x;
        }
        var final = sum is null ? x : sum / (_options.Layers + 1);
        return final.MoveToOuterDisposeScope();
    }

    public Tensor Score(ScoreRequest request)
    {
        if (_propagated is null)
        {
            using var noGrad = no_grad();
            _propagated = Propagate().DetachFromDisposeScope();
        }
        return NodeEmbeddingScores.For(request, _propagated, _users, _items);
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointTag);
        writer.Write(_epoch);
        CheckpointIO.WriteTensor(writer, "embedding", _embedding);
        CheckpointIO.WriteGenerator(writer, "sampling", _sampling);
        _adam.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var tag = reader.ReadString();
        if (tag != CheckpointTag) throw new InvalidDataException($"not a LightGCN checkpoint (found '{tag}')");
        _epoch = reader.ReadInt64();
        CheckpointIO.ReadTensorInto(reader, "embedding", _embedding);
        CheckpointIO.ReadGeneratorInto(reader, "sampling", _sampling);
        _adam.load_state_dict(reader);
        DropPropagated();
    }

    private void DropPropagated()
    {
        _propagated?.Dispose();
        _propagated = null;
    }

    public void Dispose()
    {
        DropPropagated();
        _propagation?.Dispose();
        _sampler?.Dispose();
        _sampling?.Dispose();
        _adam?.Dispose();
        _embedding?.Dispose();
    }
}
