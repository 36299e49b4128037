using TorchSharp;

namespace CFBench.Sdk.Propagation;

/// <summary>One sparse propagation step, Â·x for x of shape [nodes, dim], differentiable in x (a light graph convolution
/// in LightGCN, the L·E term of NGCF). Made by <see cref="SparsePropagation.Create"/>.</summary>
public interface IPropagation : IDisposable
{
    torch.Tensor Propagate(torch.Tensor x);

    /// <summary>(Â∘S)·x: every stored entry k of Â (in <see cref="Graph.NormalizedAdjacency"/> order) multiplied by
    /// <paramref name="entryScale"/>[k] (float32, [entries], on the device), e.g. NGCF's node dropout, which keeps each
    /// entry with probability 1-p and scales it by 1/(1-p) for one mini-batch. Differentiable in x only: the gradient is
    /// (Â∘S)ᵀ·∂L/∂y.</summary>
    torch.Tensor Propagate(torch.Tensor x, torch.Tensor entryScale);
}
