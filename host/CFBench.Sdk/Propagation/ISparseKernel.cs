using TorchSharp;

namespace CFBench.Sdk.Propagation;

/// <summary>A sparse–dense product with Â fixed at construction: Â·x or Âᵀ·x for x of shape [nodes, dim],
/// computed outside autograd (<see cref="KernelPropagation"/> makes it differentiable).</summary>
internal interface ISparseKernel : IDisposable
{
    torch.Tensor Multiply(torch.Tensor x, bool transposed);
}
