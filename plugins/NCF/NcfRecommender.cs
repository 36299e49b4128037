using CFBench.Contracts;
using CFBench.Sdk;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// Trains GMF, MLP or NeuMF as the official Keras code does: each epoch every training interaction plus
/// <c>negatives</c> sampled negatives per positive (<see cref="PointwiseSampler"/>, on the device, seeded), shuffled,
/// in batches of <c>batch_size</c>; binary log loss on σ(logit) (computed from the logit); Adam (Keras' form) or SGD
/// over one flat parameter vector. The epoch's loss is summed on the device and read once per epoch.
/// </summary>
public sealed class NcfRecommender : IRecommender, IExportsWeights
{
    private const int InitStream = 0;
    private const int SamplingStream = 1;
    private const long ScoringPairs = 1 << 18;

    private RunContext? _context;
    private TrainingSet? _train;
    private NcfOptions? _options;
    private NcfNetwork? _network;
    private IFlatOptimizer? _optimizer;
    private PointwiseSampler? _sampler;
    private Generator? _sampling;
    private long _epoch;

    internal NcfNetwork Network => _network ?? throw new InvalidOperationException("NCF: Initialize was not called");

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        if (_context is not null) throw new InvalidOperationException("NCF: Initialize was already called");
        _context = context;
        _train = train;
        var options = _options = NcfOptions.From(parameters);
        _network = new NcfNetwork(options, train.Users, train.Items, context.Device);
        using (var init = context.CreateGenerator(InitStream)) _network.Initialize(options.InitStd, init);
        if (options.Pretrain)
        {
            if (!context.Upstream.TryGetValue(NeuMFPretraining.GmfRole, out var gmf) || !context.Upstream.TryGetValue(NeuMFPretraining.MlpRole, out var mlp))
                throw new ArgumentException("NCF: pretrain=true needs a 'gmf' and an 'mlp' upstream run (a NeuMF-pre-F variant with \"dependsOn\": { \"gmf\": ..., \"mlp\": ... })");
            NeuMFPretraining.Load(_network, gmf, mlp);
            context.Log($"NCF: NeuMF starts from GMF {gmf.Source} and MLP {mlp.Source} (alpha {NeuMFPretraining.Alpha})");
        }
        _optimizer = options.Optimizer switch
        {
            "adam" => new KerasAdam(_network.Parameters, options.LearningRate),
            "sgd" => new PlainSgd(_network.Parameters, options.LearningRate),
            var other => throw new ArgumentException($"NCF: optimizer '{other}' is not adam or sgd"),
        };
        _sampler = new PointwiseSampler(train.UserItems, options.Negatives, context.Device);
        _sampling = context.CreateGenerator(SamplingStream);
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        var (network, optimizer, sampler, options) = (Network, _optimizer!, _sampler!, _options!);
        var parameters = network.Parameters;
        using var instances = sampler.Sample(_sampling!);
        var count = instances.Count;
        using var total = zeros(1, dtype: float64, device: _context!.Device);
        for (long start = 0; start < count; start += options.BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(options.BatchSize, count - start);
            var logits = network.Logits(instances.Users.narrow(0, start, length), instances.Items.narrow(0, start, length));
            var lossSum = nn.functional.binary_cross_entropy_with_logits(logits, instances.Labels.narrow(0, start, length),
                reduction: nn.Reduction.Sum);
            parameters.ZeroGradients();
            lossSum.mul(1.0 / length).backward();
            optimizer.Step();
            using (no_grad()) total.add_(lossSum.detach());
        }
        _epoch++;
        var mean = count == 0 ? 0 : total.item<double>() / count;
        return new EpochReport(mean, count, new Dictionary<string, double> { ["negative_collisions"] = sampler.LastCollisions });
    }

    public Tensor Score(ScoreRequest request)
    {
        var (network, train, device) = (Network, _train!, _context!.Device);
        foreach (var u in request.UserIds)
            if ((ulong)u >= (ulong)train.Users) throw new ArgumentOutOfRangeException(nameof(request), $"NCF: user {u} is outside [0, {train.Users})");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var users = tensor(request.UserIds, dtype: int64, device: device);
        var candidates = request.Candidates ?? arange(train.Items, dtype: int64, device: device).expand(users.shape[0], train.Items);
        var pairUsers = users.unsqueeze(1).expand_as(candidates).reshape(-1);
        var pairItems = candidates.reshape(-1);
        var parts = new List<Tensor>();
        for (long start = 0; start < pairUsers.shape[0]; start += ScoringPairs)
        {
            var length = Math.Min(ScoringPairs, pairUsers.shape[0] - start);
            parts.Add(network.Logits(pairUsers.narrow(0, start, length), pairItems.narrow(0, start, length)));
        }
        var scores = (parts.Count == 1 ? parts[0] : cat(parts, 0)).view(candidates.shape[0], candidates.shape[1]);
        return scores.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Every parameter by name (embeddings [rows, size]; layer weights [in, out] as in Keras).</summary>
    public IReadOnlyDictionary<string, Tensor> ExportWeights()
    {
        var parameters = Network.Parameters;
        return parameters.Names.ToDictionary(name => name, name => parameters[name].detach());
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_epoch);
        CheckpointIO.WriteTensor(writer, "parameters", Network.Parameters.Values);
        CheckpointIO.WriteGenerator(writer, "sampling_generator", _sampling!);
        _optimizer!.Save(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        if (_network is null) throw new InvalidOperationException("NCF: LoadCheckpoint before Initialize");
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        _epoch = reader.ReadInt64();
        CheckpointIO.ReadTensorInto(reader, "parameters", _network.Parameters.Values);
        CheckpointIO.ReadGeneratorInto(reader, "sampling_generator", _sampling!);
        _optimizer!.Load(reader);
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
        _sampler?.Dispose();
        _sampling?.Dispose();
    }
}
