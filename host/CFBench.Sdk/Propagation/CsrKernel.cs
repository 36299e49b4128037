using CFBench.Sdk.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Sdk.Propagation;

/// <summary>
/// Â·x as torch.mm of a sparse CSR tensor (cuSPARSE on a GPU, libtorch's CSR kernel on the CPU). TorchSharp has
/// no constructor for CSR tensors, so they are made by a one-line TorchScript function; the products are plain
/// torch.mm calls. Âᵀ is a second CSR tensor over the same pattern. Slower than embedding-bag on the CPU.
/// </summary>
internal sealed class CsrKernel : ISparseKernel
{
    private const string Script = @"
# Without device=, the tensor would be made on the CPU around CUDA index and value tensors.
def csr(crow: Tensor, col: Tensor, val: Tensor, n: int) -> Tensor:
    return torch.sparse_csr_tensor(crow, col, val, [n, n], dtype=val.dtype, device=val.device)
";

    private readonly Tensor _matrix, _transposed;

    public CsrKernel(NormalizedAdjacency adjacency, Device device)
    {
        using var unit = jit.compile(Script);
        using var crow = tensor(adjacency.RowOffsets, device: device);
        using var columns = tensor(adjacency.Columns, device: device);
        Tensor Csr(float[] values)
        {
            using var v = tensor(values, device: device);
            return (Tensor)unit.invoke("csr", crow, columns, v, (long)adjacency.Nodes);
        }
        _matrix = Csr(adjacency.Weights);
        _transposed = ReferenceEquals(adjacency.Weights, adjacency.TransposedWeights) ? _matrix : Csr(adjacency.TransposedWeights);
    }

    public Tensor Multiply(Tensor x, bool transposed)
    {
        using var noGrad = no_grad();
        // Disposed here: in the backward, autograd's thread runs outside any dispose scope.
        using var input = x.detach();
        return mm(transposed ? _transposed : _matrix, input);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_transposed, _matrix)) _transposed.Dispose();
        _matrix.Dispose();
    }
}
