using CFBench.Contracts;
using CFBench.Sdk;
using CFBench.Sdk.Propagation;
using CFBench.Sdk.Scoring;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.NGCF;

/// <summary>
/// NGCF as the official TensorFlow code trains it (NGCF.py, utility/load_data.py): every mini-batch propagates all
/// layer-0 embeddings through the embedding propagation layers (node dropout on L, message dropout on each layer's
/// output, training only), L2-normalises each layer's output, combines them with E⁽⁰⁾, scores (u, i, j) by inner
/// products and takes an Adam step on BPR + λ·½(|u*|²+|i*|²+|j*|²)/batch. Node ids: users 0..U-1, item i is U+i.
/// </summary>
public sealed class NgcfRecommender : IRecommender
{
    private const string CheckpointTag = "CFBench.NGCF/1";

    private NgcfOptions _options = null!;
    private Device _device = CPU;
    private int _users, _items;
    private long _entries;
    private Parameter _embedding = null!;
    private NgcfLayers _layers = null!;
    private Adam _adam = null!;
    private IPropagation _propagation = null!;
    private TripletSampler _sampler = null!;
    private Generator _sampling = null!;
    private RandomStream _dropout = null!;
    private Tensor? _propagated;   // final embeddings for scoring; valid until the next TrainEpoch
    private long _epoch;

    internal NgcfOptions Options => _options;
    internal Parameter Embedding => _embedding;
    internal NgcfLayers Layers => _layers;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        _options = NgcfOptions.From(parameters);
        _options.Validate();
        _device = context.Device;
        _users = train.Users;
        _items = train.Items;

        var adjacency = _options.BuildAdjacency(train);
        _entries = adjacency.Entries;
        var kernel = SparsePropagation.Resolve(_options.Kernel, _device);
        _propagation = SparsePropagation.Create(adjacency, _device, kernel, _options.Dim, _options.MaxBag);

        using (var init = context.CreateGenerator(0))
        {
            // The official code keeps users and items in two Xavier-initialised tables, so each has its own bound.
            using var users = NgcfLayers.XavierUniform(new long[] { _users, _options.Dim }, init, _device);
            using var items = NgcfLayers.XavierUniform(new long[] { _items, _options.Dim }, init, _device);
            using (no_grad()) _embedding = new Parameter(cat(new Tensor[] { users, items }), requires_grad: true);
            _layers = new NgcfLayers(_options, init, _device);
        }
        _adam = optim.Adam(new[] { _embedding }.Concat(_layers.Parameters), lr: _options.LearningRate);
        _sampler = new TripletSampler(train.UserItems, _device);
        _sampling = context.CreateGenerator(1);
        _dropout = context.CreateRandom(2);
        context.Log($"NGCF: {adjacency.Nodes} nodes, {adjacency.Entries} adjacency entries ({_options.Adjacency}), layers " +
                    $"[{string.Join(", ", _options.LayerSizes)}] {_options.Form} form, transform {_options.Transform}, " +
                    $"nonlinearity {_options.Nonlinearity}, {_options.Combination}, kernel {kernel}");
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        DropPropagated();
        using var triplets = _sampler.SampleUserBatches(_options.BatchSize, _sampling);
        long count = triplets.Count;
        int batches = (int)(count / _options.BatchSize);
        using var lossSum = zeros(1, dtype: float64, device: _device);
        for (int b = 0; b < batches; b++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long start = (long)b * _options.BatchSize;
            var loss = Step(triplets.Users.narrow(0, start, _options.BatchSize),
                            triplets.Positives.narrow(0, start, _options.BatchSize),
                            triplets.Negatives.narrow(0, start, _options.BatchSize));
            lossSum.add_(loss.detach().to(float64));
        }
        _epoch++;
        var extra = new Dictionary<string, double> { ["negative_collisions"] = _sampler.LastCollisions };
        return new EpochReport(lossSum.item<double>() / Math.Max(batches, 1), count, extra);
    }

    /// <summary>One Adam step on a batch of (user, positive item, negative item); returns the batch loss.</summary>
    internal Tensor Step(Tensor users, Tensor positives, Tensor negatives)
    {
        var loss = Loss(users, positives, negatives);
        _adam.zero_grad();
        loss.backward();
        _adam.step();
        return loss;
    }

    /// <summary>BPR (softplus form) plus the official L2 term on the batch's final embeddings, from a training pass.</summary>
    internal Tensor Loss(Tensor users, Tensor positives, Tensor negatives)
    {
        var final = Propagate(training: true);
        long b = users.shape[0];
        var picked = final.index_select(0, cat(new[] { users, positives + _users, negatives + _users }));
        var u = picked.narrow(0, 0, b);
        var i = picked.narrow(0, b, b);
        var j = picked.narrow(0, 2 * b, b);
        var bpr = nn.functional.softplus((u * j).sum(1) - (u * i).sum(1)).mean();
        var l2 = picked.square().sum() * (0.5 / _options.BatchSize);
        return bpr + l2 * _options.Reg;
    }

    /// <summary>The final embeddings of all nodes; <paramref name="training"/> applies node and message dropout.</summary>
    internal Tensor Propagate(bool training)
    {
        using var scope = NewDisposeScope();
        Tensor? entryScale = training && _options.NodeDropout > 0 ? NodeDropoutScale() : null;
        Tensor e = _embedding;
        var outputs = new List<Tensor> { _embedding };
        for (int k = 0; k < _options.Layers; k++)
        {
            var side = entryScale is null ? _propagation.Propagate(e) : _propagation.Propagate(e, entryScale);
            e = _layers.Update(k, e, side);
            if (training) e = _dropout.Dropout(e, _options.MessageDropout);
            outputs.Add(L2Normalize(e));
        }
        var final = _options.Combination == NgcfCombination.Concat
            ? cat(outputs, 1)
            : outputs.Skip(1).Aggregate(outputs[0].alias(), (sum, x) => sum + x);
        return final.MoveToOuterDisposeScope();
    }

    /// <summary>Node dropout of the official code: each entry of L kept with probability 1-p and scaled by 1/(1-p).</summary>
    private Tensor NodeDropoutScale()
    {
        double keep = 1 - _options.NodeDropout;
        return _dropout.Bernoulli(new[] { _entries }, keep).mul_(1.0 / keep);
    }

    /// <summary>x / √max(Σx², 1e-12) per row, as tf.math.l2_normalize(x, axis=1).</summary>
    internal static Tensor L2Normalize(Tensor x) => x * x.square().sum(1, keepdim: true).clamp_min(1e-12).rsqrt();

    public Tensor Score(ScoreRequest request)
    {
        if (_propagated is null)
        {
            using var noGrad = no_grad();
            _propagated = Propagate(training: false).DetachFromDisposeScope();
        }
        return NodeEmbeddingScores.For(request, _propagated, _users, _items);
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointTag);
        writer.Write(_epoch);
        CheckpointIO.WriteTensor(writer, "embedding", _embedding);
        _layers.Save(writer);
        CheckpointIO.WriteGenerator(writer, "sampling", _sampling);
        _dropout.Save(writer, "dropout");
        _adam.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var tag = reader.ReadString();
        if (tag != CheckpointTag) throw new InvalidDataException($"not an NGCF checkpoint (found '{tag}')");
        _epoch = reader.ReadInt64();
        CheckpointIO.ReadTensorInto(reader, "embedding", _embedding);
        _layers.Load(reader);
        CheckpointIO.ReadGeneratorInto(reader, "sampling", _sampling);
        _dropout.Load(reader, "dropout");
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
        _dropout?.Dispose();
        _adam?.Dispose();
        _layers?.Dispose();
        _embedding?.Dispose();
    }
}
