using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>The names and shapes of a network's parameters, laid end to end in one vector.</summary>
internal sealed class FlatLayout
{
    private readonly List<(string Name, long[] Shape, long Offset)> _segments = new();

    public long Size { get; private set; }

    public IReadOnlyList<(string Name, long[] Shape, long Offset)> Segments => _segments;

    public void Add(string name, params long[] shape)
    {
        if (_segments.Any(s => s.Name == name)) throw new ArgumentException($"parameter '{name}' is declared twice");
        _segments.Add((name, shape, Size));
        Size += shape.Aggregate(1L, (a, b) => a * b);
    }
}

/// <summary>
/// All parameters of a network in ONE float32 vector, and all their gradients in another: each named parameter is a
/// leaf view into <see cref="Values"/> whose gradient is a view into <see cref="Gradients"/>, so autograd accumulates
/// in place into the flat gradient and an optimiser step is a handful of whole-vector operations instead of a few
/// per parameter (NCF takes ~19,000 small steps per epoch, where per-operation overhead dominates).
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Dictionary<string, Tensor> _views = new();
    private readonly Dictionary<string, Tensor> _gradients = new();

    public FlatParameters(FlatLayout layout, Device device)
    {
        Layout = layout;
        Values = zeros(layout.Size, dtype: float32, device: device);
        Gradients = zeros(layout.Size, dtype: float32, device: device);
        foreach (var (name, shape, offset) in layout.Segments)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var view = Values.narrow(0, offset, count).view(shape);
            view.requires_grad_(true);
            var gradient = Gradients.narrow(0, offset, count).view(shape);
            view.grad = gradient;
            _views[name] = view;
            _gradients[name] = gradient;
        }
    }

    public FlatLayout Layout { get; }

    /// <summary>Every parameter, end to end ([size]); updated in place by the optimiser.</summary>
    public Tensor Values { get; }

    /// <summary>Every gradient, end to end ([size]).</summary>
    public Tensor Gradients { get; }

    public IEnumerable<string> Names => _views.Keys;

    /// <summary>The named parameter: a leaf view into <see cref="Values"/>.</summary>
    public Tensor this[string name] =>
        _views.TryGetValue(name, out var view) ? view : throw new KeyNotFoundException($"no parameter '{name}'");

    /// <summary>Rows of the embedding table <paramref name="table"/>; autograd adds their gradient into the table's slice
    /// of <see cref="Gradients"/>. (A custom autograd function writing the rows' gradient straight into that slice saved
    /// a table-size pass per step, but one 20-epoch run in two failed inside libtorch with "Expected false to be true":
    /// plain index_select it is.)</summary>
    public Tensor Rows(string table, Tensor indices) => this[table].index_select(0, indices);

    public void ZeroGradients() => Gradients.zero_();

    public void Dispose()
    {
        foreach (var tensor in _views.Values.Concat(_gradients.Values)) tensor.Dispose();
        Values.Dispose();
        Gradients.Dispose();
    }
}
