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
    private readonly jit.CompilationUnit _unit;
    private readonly Tensor _crow, _columns, _weights, _transposedWeights;
    private readonly long _nodes;

    public CsrKernel(NormalizedAdjacency adjacency, Device device)
    {
        _unit = jit.compile(Script);
        _nodes = adjacency.Nodes;
        _crow = tensor(adjacency.RowOffsets, device: device);
        _columns = tensor(adjacency.Columns, device: device);
        _weights = tensor(adjacency.Weights, device: device);
        _transposedWeights = ReferenceEquals(adjacency.Weights, adjacency.TransposedWeights)
            ? _weights : tensor(adjacency.TransposedWeights, device: device);
        _matrix = Csr(_weights);
        _transposed = ReferenceEquals(_transposedWeights, _weights) ? _matrix : Csr(_transposedWeights);
    }

    private Tensor Csr(Tensor values) => (Tensor)_unit.invoke("csr", _crow, _columns, values, _nodes);

    public Tensor Multiply(Tensor x, bool transposed, Tensor? entryScale = null)
    {
        using var noGrad = no_grad();
        // Disposed here: in the backward, autograd's thread runs outside any dispose scope.
        using var input = x.detach();
        if (entryScale is null) return mm(transposed ? _transposed : _matrix, input);
        using var values = (transposed ? _transposedWeights : _weights) * entryScale;
        using var scaled = Csr(values);
        return mm(scaled, input);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_transposed, _matrix)) _transposed.Dispose();
        _matrix.Dispose();
        if (!ReferenceEquals(_transposedWeights, _weights)) _transposedWeights.Dispose();
        _weights.Dispose();
        _columns.Dispose();
        _crow.Dispose();
        _unit.Dispose();
    }
}
