using CFBench.Contracts;
using CFBench.Sdk;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.MultVAE;

/// <summary>
/// Mult-VAE^PR and Mult-DAE as the official notebook trains them: every epoch the training users are shuffled and
/// fed in batches of 500; a batch's rows are L2-normalised, dropped out (keep 0.5), encoded, (VAE) sampled by
/// reparameterisation, decoded, and an Adam step is taken on −log p(x|z) + β·KL + λ·Σ‖W‖², β annealed per update.
/// Scoring is inductive: a user's history (training items or a held-out user's fold-in items) is encoded without
/// dropout, z = μ, and the decoder's logits are the scores.
/// </summary>
public sealed class MultVaeRecommender : IRecommender
{
    private const string CheckpointTag = "CFBench.MultVAE/1";
    private const int InitStream = 0, ShuffleStream = 1, DropoutStream = 2, NoiseStream = 3;

    private MultVaeOptions _options = null!;
    private Device _device = CPU;
    private TrainingSet _train = null!;
    private AutoencoderNetwork _network = null!;
    private Adam _adam = null!;
    private UserRowBatches _batches = null!;
    private RandomStream _shuffle = null!, _dropout = null!, _noise = null!;
    private long _updates;

    internal MultVaeOptions Options => _options;
    internal AutoencoderNetwork Network => _network;
    internal long Updates => _updates;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        _options = MultVaeOptions.From(parameters);
        _device = context.Device;
        _train = train;
        using (var init = context.CreateGenerator(InitStream))
            _network = new AutoencoderNetwork(train.Items, _options, init, _device);
        _adam = optim.Adam(_network.Parameters, lr: _options.LearningRate);
        _batches = new UserRowBatches(train.UserItems, _options.BatchSize, _device);
        _shuffle = context.CreateRandom(ShuffleStream);
        _dropout = context.CreateRandom(DropoutStream);
        _noise = context.CreateRandom(NoiseStream);
        context.Log($"MultVAE: {_options.Architecture} {_options.Likelihood}, [{train.Items} → " +
                    $"{string.Join(" → ", _options.Hidden)}{(_options.Hidden.Length > 0 ? " → " : "")}{_options.Latent}], " +
                    $"{train.Users} users, {_batches.BatchCount} batches of {_options.BatchSize}");
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        using var lossSum = zeros(1, dtype: float64, device: _device);
        int batches = 0;
        double beta = 0;
        foreach (var users in _batches.EpochUsers(_shuffle))
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var rows = SparseRows.From(_train.UserItems, users, _device);
            beta = _options.Beta(_updates);
            var loss = Step(rows, beta);
            lossSum.add_(loss.detach().to(float64));
            batches++;
        }
        var extra = _options.Architecture == Architecture.Vae
            ? new Dictionary<string, double> { ["beta"] = beta }
            : null;
        return new EpochReport(lossSum.item<double>() / Math.Max(batches, 1), _train.Users, extra);
    }

    /// <summary>One Adam step on a batch with KL weight <paramref name="beta"/>; returns the batch loss.</summary>
    internal Tensor Step(SparseRows rows, double beta)
    {
        var loss = Loss(rows, beta, training: true);
        _adam.zero_grad();
        loss.backward();
        _adam.step();
        _updates++;
        return loss;
    }

    /// <summary>−log p(x|z) + β·KL + λ·Σ‖W‖² of a batch; in training with dropout and a sampled z.</summary>
    internal Tensor Loss(SparseRows rows, double beta, bool training)
    {
        var input = training ? _dropout.Dropout(rows.Normalized, _options.Dropout) : null;
        Func<long[], Tensor>? noise = training ? shape => _noise.Normal(shape) : null;
        var (logits, kl) = _network.Forward(rows, input, noise);
        var loss = LikelihoodLoss.NegativeLogLikelihood(_options.Likelihood, logits, rows.Observed,
            _options.GaussianPositiveWeight, _options.GaussianNegativeWeight);
        if (_options.Architecture == Architecture.Vae) loss = loss + kl * beta;
        if (_options.L2 > 0) loss = loss + _network.WeightSquares() * _options.L2;
        return loss;
    }

    public Tensor Score(ScoreRequest request)
    {
        if (request.History.Columns != _train.Items)
            throw new ArgumentException($"MultVAE: the history has {request.History.Columns} items, the model was trained on {_train.Items}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var rows = SparseRows.From(request.History, _device);
        var (logits, _) = _network.Forward(rows, null, null);
        var scores = request.Candidates is { } candidates ? logits.gather(1, candidates) : logits;
        return scores.MoveToOuterDisposeScope();
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointTag);
        writer.Write(_updates);
        foreach (var (name, parameter) in _network.Named) CheckpointIO.WriteTensor(writer, name, parameter);
        _shuffle.Save(writer, "shuffle");
        _dropout.Save(writer, "dropout");
        _noise.Save(writer, "noise");
        _adam.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var tag = reader.ReadString();
        if (tag != CheckpointTag) throw new InvalidDataException($"not a MultVAE checkpoint (found '{tag}')");
        _updates = reader.ReadInt64();
        foreach (var (name, parameter) in _network.Named) CheckpointIO.ReadTensorInto(reader, name, parameter);
        _shuffle.Load(reader, "shuffle");
        _dropout.Load(reader, "dropout");
        _noise.Load(reader, "noise");
        _adam.load_state_dict(reader);
    }

    public void Dispose()
    {
        _adam?.Dispose();
        _network?.Dispose();
        _shuffle?.Dispose();
        _dropout?.Dispose();
        _noise?.Dispose();
    }
}
