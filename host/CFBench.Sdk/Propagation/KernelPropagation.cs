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
    // Gradients handed back to autograd. On a GPU the backward runs on autograd's device thread, outside any
    // dispose scope, so they are released here once autograd has taken its own reference.
    private readonly List<Tensor> _handedBack = new();

    public KernelPropagation(ISparseKernel kernel) => _kernel = kernel;

    public Tensor Propagate(Tensor x) => Product.apply(x, this);

    private Tensor Forward(Tensor x)
    {
        ReleaseHandedBack();
        return _kernel.Multiply(x, transposed: false);
    }

    private Tensor Backward(Tensor gradOutput)
    {
        var grad = _kernel.Multiply(gradOutput, transposed: true);
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
        _kernel.Dispose();
    }

    private sealed class Product : autograd.SingleTensorFunction<Product>
    {
        public override string Name => "LightGcnSparseProduct";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var op = (KernelPropagation)vars[1];
            ctx.save_data("op", op);
            return op.Forward((Tensor)vars[0]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var op = (KernelPropagation)ctx.get_data("op");
            return new List<Tensor> { op.Backward(gradOutput), null! };
        }
    }
}
