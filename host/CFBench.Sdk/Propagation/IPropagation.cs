using TorchSharp;

namespace CFBench.Sdk.Propagation;

/// <summary>One sparse propagation step, Â·x for x of shape [nodes, dim], differentiable in x (a light graph convolution
/// in LightGCN, the L·E term of NGCF). Made by <see cref="SparsePropagation.Create"/>.</summary>
public interface IPropagation : IDisposable
{
    torch.Tensor Propagate(torch.Tensor x);
}
