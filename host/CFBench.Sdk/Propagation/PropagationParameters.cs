using CFBench.Contracts;

namespace CFBench.Sdk.Propagation;

/// <summary>The speed-only hyper-parameters every graph model on <see cref="SparsePropagation"/> declares (LightGCN,
/// NGCF): which kernel computes Â·x, and the embedding-bag kernel's longest bag.</summary>
public static class PropagationParameters
{
    public static readonly HyperParameter Kernel = HyperParameter.Choice("propagation", "auto",
        "sparse kernel for Â·x: embedding-bag = CSR product via embedding_bag (sum, per-sample weights); csr = torch.mm " +
        "with a sparse CSR tensor (cuSPARSE on a GPU); both with a custom backward by Âᵀ; coo = torch.mm with a COO " +
        "sparse tensor and libtorch's autograd; auto = csr on a GPU, embedding-bag on the CPU (the fastest on each). " +
        "Same result up to float rounding, speed only",
        "auto", "embedding-bag", "csr", "coo") with { AffectsResult = false };

    public static readonly HyperParameter MaxBag = HyperParameter.Int("max_bag", 32,
        "embedding-bag kernel: rows of Â longer than this are summed in parts of at most this many neighbours, then " +
        "the parts are added (0 = whole rows). The GPU kernel sums a bag serially, so long rows set its time. " +
        "Same result up to float rounding, speed only", 0, 1 << 30) with { AffectsResult = false };

    public static PropagationKernel KernelOf(ModelParameters p) => p.Choice(Kernel.Name) switch
    {
        "coo" => PropagationKernel.Coo,
        "csr" => PropagationKernel.Csr,
        "embedding-bag" => PropagationKernel.EmbeddingBag,
        _ => PropagationKernel.Auto,
    };

    public static int MaxBagOf(ModelParameters p) => (int)p.Int(MaxBag.Name);
}
