using TorchSharp;

namespace CFBench.Plugins.LightGCN.Propagation;

/// <summary>One light graph convolution step, Â·x for x of shape [nodes, dim], differentiable in x.</summary>
internal interface IPropagation : IDisposable
{
    torch.Tensor Propagate(torch.Tensor x);
}
