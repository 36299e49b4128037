using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Sdk.Propagation;

/// <summary>
/// Makes an <see cref="ISparseKernel"/> differentiable: y = Â·x with ∂L/∂x = Âᵀ·∂L/∂y, both computed by the kernel,
/// so the backward never transposes or coalesces a sparse tensor.
/// </summary>
internal sealed class KernelPropagation : IPropagation
{
    private readonly ISparseKernel _kernel;
    private readonly Func<long[]>? _mirrorEntries;
    private Tensor? _mirror;   // built on the first scaled product: LightGCN never needs it
    private (Tensor Of, Tensor Scale)? _transposedScale;
    // Gradients handed back to autograd. On a GPU the backward runs on autograd's device thread, outside any
    // dispose scope, so they are released here once autograd has taken its own reference.
    private readonly List<Tensor> _handedBack = new();

    /// <param name="mirrorEntries">The adjacency's <see cref="Graph.NormalizedAdjacency.MirrorEntries"/>, needed by
    /// scaled products only.</param>
    public KernelPropagation(ISparseKernel kernel, Func<long[]>? mirrorEntries = null)
    {
        _kernel = kernel;
        _mirrorEntries = mirrorEntries;
    }

    public Tensor Propagate(Tensor x) => Product.apply(x, this, Unscaled);

    public Tensor Propagate(Tensor x, Tensor entryScale)
    {
        if (_mirrorEntries is null) throw new InvalidOperationException("this propagation was made without the adjacency's mirror entries: it cannot scale entries");
        _mirror ??= tensor(_mirrorEntries(), device: entryScale.device).DetachFromDisposeScope();
        return Product.apply(x, this, new EntryScales(entryScale, TransposedScale(entryScale)));
    }

    /// <summary>
    /// The scale of Âᵀ (stored at Â's entries: entry k = (t, n) of Âᵀ holds c(n, t), so it takes the scale of entry
    /// (n, t)). The backward needs it after the caller's dispose scope has ended, so it is kept here, one per entry
    /// scale, until a product with another entry scale: a model's layers share one scale per batch, and the batch's
    /// backward runs before the next batch's forward.
    /// </summary>
    private Tensor TransposedScale(Tensor entryScale)
    {
        if (_transposedScale is { } kept && ReferenceEquals(kept.Of, entryScale)) return kept.Scale;
        _transposedScale?.Scale.Dispose();
        var scale = entryScale.index_select(0, _mirror!).DetachFromDisposeScope();
        _transposedScale = (entryScale, scale);
        return scale;
    }

    private Tensor Forward(Tensor x, Tensor? entryScale)
    {
        ReleaseHandedBack();
        return _kernel.Multiply(x, transposed: false, entryScale);
    }

    private Tensor Backward(Tensor gradOutput, Tensor? transposedScale)
    {
        var grad = _kernel.Multiply(gradOutput, transposed: true, transposedScale);
        gradOutput.Dispose();
        lock (_handedBack) _handedBack.Add(grad);
        return grad;
    }

    private void ReleaseHandedBack()
    {
        lock (_handedBack)
        {
            foreach (var t in _handedBack) t.Dispose();
            _handedBack.Clear();
        }
    }

    public void Dispose()
    {
        ReleaseHandedBack();
        _transposedScale?.Scale.Dispose();
        _mirror?.Dispose();
        _kernel.Dispose();
    }

    /// <summary>Per-entry scales of Â and of Âᵀ (in Â's entry order) for one product; none when unscaled. Passed to
    /// autograd as an object, not as tensors: they take no gradient.</summary>
    private sealed record EntryScales(Tensor? Forward, Tensor? Transposed);

    private static readonly EntryScales Unscaled = new(null, null);

    private sealed class Product : autograd.SingleTensorFunction<Product>
    {
        public override string Name => "LightGcnSparseProduct";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var op = (KernelPropagation)vars[1];
            ctx.save_data("op", op);
            var scales = (EntryScales)vars[2];
            ctx.save_data("scales", scales);
            return op.Forward((Tensor)vars[0], scales.Forward);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var op = (KernelPropagation)ctx.get_data("op");
            var scales = (EntryScales)ctx.get_data("scales");
            return new List<Tensor> { op.Backward(gradOutput, scales.Transposed), null!, null! };
        }
    }
}
