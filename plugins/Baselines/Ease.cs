using CFBench.Contracts;
using CFBench.Sdk;
using static TorchSharp.torch;

namespace CFBench.Plugins.Baselines;

public sealed class EaseProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "EASE",
        Family: "linear autoencoder",
        Paper: "Steck, Embarrassingly Shallow Autoencoders for Sparse Data (WWW 2019)",
        Description: "Closed-form item-item model: G = XᵀX + λI, P = G⁻¹, B = −P / diag(P) with a zero diagonal; a user's scores are their history times B. Fitted in the first epoch.",
        Parameters: new[]
        {
            HyperParameter.Float("lambda", 500, "L2 regularisation λ added to the diagonal of the Gram matrix.", 0, 1e9),
            HyperParameter.Choice("precision", "float64", "Floating-point type of the Gram matrix inversion (B is kept in float32).", "float64", "float32"),
        },
        Variants: new[]
        {
            new ModelVariant("ml-20m", "λ = 500, the paper's value for ML-20M", new Dictionary<string, object> { ["lambda"] = 500.0 }),
            new ModelVariant("netflix", "λ = 1000, the paper's value for Netflix", new Dictionary<string, object> { ["lambda"] = 1000.0 }),
            new ModelVariant("msd", "λ = 200, the paper's value for the Million Song Data", new Dictionary<string, object> { ["lambda"] = 200.0 }),
        },
        Inductive: true);

    public IRecommender Create() => new Ease();
}

/// <summary>EASE (Steck 2019). Inductive: it scores any user from the items in <see cref="ScoreRequest.History"/>
/// (their training items when the request carries none).</summary>
public sealed class Ease : IRecommender
{
    /// <summary>Dense user×chunk blocks of at most this many elements are built while forming XᵀX.</summary>
    private const long BlockElements = 1L << 24;

    private TrainingSet? _train;
    private RunContext? _context;
    private double _lambda;
    private ScalarType _precision;
    private Tensor? _weights; // B: [items, items] float32

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        _train = train;
        _context = context;
        _lambda = parameters.Float("lambda");
        _precision = parameters.Choice("precision") == "float32" ? float32 : float64;
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        var train = _train ?? throw new InvalidOperationException("EASE: Initialize was not called");
        if (_weights is null)
        {
            using var scope = NewDisposeScope();
            var gram = Gram(train, _context!.Device, cancel).to(_precision);
            gram.diagonal().add_(_lambda);
            var inverse = linalg.inv(gram);
            var weights = inverse / inverse.diagonal().neg().unsqueeze(0);
            weights.diagonal().zero_();
            _weights = weights.to(float32).contiguous().MoveToOuterDisposeScope();
        }
        return new EpochReport(0, train.Interactions, new Dictionary<string, double> { ["closed_form"] = 1 });
    }

    /// <summary>XᵀX (item co-occurrence counts, exact in float32), as sparse Xᵀ times dense column blocks of X.</summary>
    private static Tensor Gram(TrainingSet train, Device device, CancellationToken cancel)
    {
        using var scope = NewDisposeScope();
        var x = train.UserItems;
        var itemIndex = tensor(x.ColumnIndices.ToArray().Select(c => (long)c).ToArray(), dtype: int64, device: device);
        var userIndex = tensor(x.EntryRows().Select(r => (long)r).ToArray(), dtype: int64, device: device);
        var indices = stack(new[] { itemIndex, userIndex });
        var transposed = sparse_coo_tensor(indices, ones(x.Count, dtype: float32, device: device), new long[] { train.Items, train.Users });
        var gram = zeros(train.Items, train.Items, dtype: float32, device: device);
        var itemUsers = train.ItemUsers;
        var block = (int)Math.Max(1, Math.Min(train.Items, BlockElements / Math.Max(1, train.Users)));
        for (int first = 0; first < train.Items; first += block)
        {
            cancel.ThrowIfCancellationRequested();
            using var blockScope = NewDisposeScope();
            var columns = Enumerable.Range(first, Math.Min(block, train.Items - first)).ToArray();
            // Rows of the item×user matrix for this block, transposed: the dense user×block slice of X.
            var slice = UserRows.Dense(itemUsers.SelectRows(columns), device).t();
            gram.narrow(1, first, columns.Length).copy_(mm(transposed, slice));
        }
        return gram.MoveToOuterDisposeScope();
    }

    public Tensor Score(ScoreRequest request)
    {
        var weights = _weights ?? throw new InvalidOperationException("EASE: Score before the first TrainEpoch");
        var history = Scoring.History(request, _train!);
        using var scope = NewDisposeScope();
        var scores = UserRows.Dense(history, _context!.Device).matmul(weights);
        return Scoring.Select(scores, request).MoveToOuterDisposeScope();
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(_weights is not null);
        if (_weights is not null) CheckpointIO.WriteTensor(writer, "weights", _weights);
    }

    public void LoadCheckpoint(Stream stream)
    {
        var train = _train ?? throw new InvalidOperationException("EASE: LoadCheckpoint before Initialize");
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBoolean()) return;
        _weights ??= zeros(train.Items, train.Items, dtype: float32, device: _context!.Device);
        CheckpointIO.ReadTensorInto(reader, "weights", _weights);
    }

    public void Dispose() => _weights?.Dispose();
}
