using CFBench.Plugins.LightGCN.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.LightGCN.Propagation;

/// <summary>
/// Â·x as a CSR sparse–dense product run by libtorch's embedding_bag in sum mode: bag t gathers the rows
/// x[n] of t's neighbours weighted by c(t, n) (per-sample weights, CSR offsets). On the CPU this is one
/// multi-threaded pass over the nonzeros with no sort and no temporary per edge. Autograd goes through
/// <see cref="CsrProduct"/>, whose backward is the same kernel with Âᵀ's weights.
/// </summary>
internal sealed class EmbeddingBagPropagation : IPropagation
{
    private readonly Tensor _offsets, _columns, _weights, _transposedWeights;
    private readonly EmbeddingBag _bag;
    // Gradients handed back to autograd. On a GPU the backward runs on autograd's device thread, outside any
    // dispose scope, so they are released here once autograd has taken its own reference.
    private readonly List<Tensor> _handedBack = new();

    public EmbeddingBagPropagation(NormalizedAdjacency adjacency, Device device, long dim)
    {
        _offsets = tensor(adjacency.RowOffsets, device: device);
        _columns = tensor(adjacency.Columns, device: device);
        _weights = tensor(adjacency.Weights, device: device);
        _transposedWeights = ReferenceEquals(adjacency.Weights, adjacency.TransposedWeights)
            ? _weights : tensor(adjacency.TransposedWeights, device: device);
        _bag = nn.EmbeddingBag(1, dim, mode: EmbeddingBagMode.Sum, include_last_offset: true, device: device);
    }

    public Tensor Propagate(Tensor x) => CsrProduct.apply(x, this);

    /// <summary>Â·x (or Âᵀ·x), outside autograd.</summary>
    internal Tensor Multiply(Tensor x, bool transposed)
    {
        using var noGrad = no_grad();
        using var weight = new Parameter(x.detach(), requires_grad: false);
        _bag.weight = weight;   // the module keeps its own reference to the same storage: no copy
        return _bag.call(_columns, _offsets, transposed ? _transposedWeights : _weights);
    }

    private Tensor Forward(Tensor x)
    {
        ReleaseHandedBack();
        return Multiply(x, transposed: false);
    }

    private Tensor Backward(Tensor gradOutput)
    {
        var grad = Multiply(gradOutput, transposed: true);
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
        _bag.Dispose();
        _offsets.Dispose();
        _columns.Dispose();
        if (!ReferenceEquals(_transposedWeights, _weights)) _transposedWeights.Dispose();
        _weights.Dispose();
    }

    /// <summary>y = Â·x with ∂L/∂x = Âᵀ·∂L/∂y.</summary>
    private sealed class CsrProduct : autograd.SingleTensorFunction<CsrProduct>
    {
        public override string Name => "LightGcnCsrProduct";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var op = (EmbeddingBagPropagation)vars[1];
            ctx.save_data("op", op);
            return op.Forward((Tensor)vars[0]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var op = (EmbeddingBagPropagation)ctx.get_data("op");
            return new List<Tensor> { op.Backward(gradOutput), null! };
        }
    }
}
