using TorchSharp;

namespace CFBench.Sdk.Propagation;

/// <summary>A sparse–dense product with Â fixed at construction: Â·x or Âᵀ·x for x of shape [nodes, dim],
/// computed outside autograd (<see cref="KernelPropagation"/> makes it differentiable).</summary>
internal interface ISparseKernel : IDisposable
{
    /// <param name="entryScale">Multiplies the weights of the matrix used (Â, or Âᵀ stored at Â's entries) entry by
    /// entry for this product only; null uses them as they are.</param>
    torch.Tensor Multiply(torch.Tensor x, bool transposed, torch.Tensor? entryScale = null);
}
