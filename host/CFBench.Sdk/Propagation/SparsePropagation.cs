using CFBench.Sdk.Graph;
using TorchSharp;

namespace CFBench.Sdk.Propagation;

/// <summary>Which kernel computes Â·x (the same result up to float rounding: a speed choice).</summary>
public enum PropagationKernel
{
    /// <summary><see cref="Csr"/> on a GPU, <see cref="EmbeddingBag"/> elsewhere: the faster of the two on each.</summary>
    Auto,
    /// <summary>libtorch's embedding_bag over the CSR arrays (sum, per-sample weights), long rows cut into parts.</summary>
    EmbeddingBag,
    /// <summary>torch.mm with a sparse CSR tensor (cuSPARSE on a GPU).</summary>
    Csr,
    /// <summary>torch.mm with a COO sparse tensor and libtorch's own autograd.</summary>
    Coo,
}

/// <summary>
/// The sparse products graph models share (LightGCN, NGCF): Â·x over a <see cref="NormalizedAdjacency"/>, never a
/// dense adjacency. The embedding-bag and CSR kernels have a custom backward by Âᵀ (the same kernel again), so no
/// sparse tensor is transposed or coalesced per batch.
/// </summary>
public static class SparsePropagation
{
    /// <summary>The kernel <paramref name="requested"/> resolves to on <paramref name="device"/>.</summary>
    public static PropagationKernel Resolve(PropagationKernel requested, torch.Device device) =>
        requested != PropagationKernel.Auto ? requested
        : device.type == DeviceType.CUDA ? PropagationKernel.Csr : PropagationKernel.EmbeddingBag;

    /// <param name="dim">Width of the x the product will take (the embedding-bag kernel sizes its module by it).</param>
    /// <param name="maxBag">Embedding-bag kernel: rows longer than this are summed in parts (0: whole rows).</param>
    public static IPropagation Create(NormalizedAdjacency adjacency, torch.Device device, PropagationKernel kernel, long dim, int maxBag) =>
        Resolve(kernel, device) switch
        {
            PropagationKernel.Coo => new CooPropagation(adjacency, device),
            PropagationKernel.Csr => new KernelPropagation(new CsrKernel(adjacency, device), adjacency.MirrorEntries),
            _ => new KernelPropagation(new EmbeddingBagKernel(adjacency, device, dim, maxBag), adjacency.MirrorEntries),
        };
}
