using CFBench.Sdk.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Sdk.Propagation;

/// <summary>
/// Â·x as a CSR sparse–dense product run by libtorch's embedding_bag in sum mode: bag t gathers the rows x[n] of
/// t's neighbours weighted by c(t, n) (per-sample weights, CSR offsets). On the CPU this is one multi-threaded
/// pass over the nonzeros with no sort and no temporary per edge.
/// <para>
/// The CUDA kernel sums each bag serially, so one long row (an item with 1,415 users on Gowalla) sets the time
/// of the whole product. With <c>maxBag</c> &gt; 0, rows longer than that are cut into parts of at most
/// <c>maxBag</c> neighbours and a second embedding_bag adds each row's parts: the same sum, grouped differently.
/// </para>
/// </summary>
internal sealed class EmbeddingBagKernel : ISparseKernel
{
    private readonly Tensor _columns, _weights, _transposedWeights;
    private readonly Tensor _offsets;          // level 1: where each bag (a row, or a part of one) starts
    private readonly Tensor? _partIndices;     // level 2, when rows are cut: 0..parts-1
    private readonly Tensor? _rowParts;        // level 2: where each row's parts start
    private readonly EmbeddingBag _bag;

    public EmbeddingBagKernel(NormalizedAdjacency adjacency, Device device, long dim, int maxBag)
    {
        _columns = tensor(adjacency.Columns, device: device);
        _weights = tensor(adjacency.Weights, device: device);
        _transposedWeights = ReferenceEquals(adjacency.Weights, adjacency.TransposedWeights)
            ? _weights : tensor(adjacency.TransposedWeights, device: device);
        if (CutRows(adjacency.RowOffsets, maxBag) is var (partOffsets, rowParts))
        {
            _offsets = tensor(partOffsets, device: device);
            _rowParts = tensor(rowParts, device: device);
            _partIndices = arange(partOffsets.LongLength - 1, dtype: int64, device: device);
        }
        else
        {
            _offsets = tensor(adjacency.RowOffsets, device: device);
        }
        _bag = nn.EmbeddingBag(1, dim, mode: EmbeddingBagMode.Sum, include_last_offset: true, device: device);
    }

    /// <summary>The level-1 offsets of rows cut into parts of at most <paramref name="maxBag"/> entries, and the
    /// level-2 offsets of each row's parts; null when no row is longer than <paramref name="maxBag"/>.</summary>
    internal static (long[] PartOffsets, long[] RowParts)? CutRows(long[] rowOffsets, int maxBag)
    {
        int rows = rowOffsets.Length - 1;
        bool anyLong = false;
        long parts = 0;
        for (int t = 0; t < rows && maxBag > 0; t++)
        {
            long length = rowOffsets[t + 1] - rowOffsets[t];
            anyLong |= length > maxBag;
            parts += (length + maxBag - 1) / maxBag;
        }
        if (!anyLong) return null;

        var partOffsets = new long[parts + 1];
        var rowParts = new long[rows + 1];
        long p = 0;
        for (int t = 0; t < rows; t++)
        {
            rowParts[t] = p;
            for (long start = rowOffsets[t]; start < rowOffsets[t + 1]; start += maxBag) partOffsets[p++] = start;
        }
        rowParts[rows] = p;
        partOffsets[p] = rowOffsets[rows];
        return (partOffsets, rowParts);
    }

    public Tensor Multiply(Tensor x, bool transposed, Tensor? entryScale = null)
    {
        using var noGrad = no_grad();
        // Disposed here: in the backward, autograd's thread runs outside any dispose scope.
        using var input = x.detach();
        var weights = transposed ? _transposedWeights : _weights;
        // Parts cut from long rows keep the entry order, so a per-entry scale applies to the level-1 weights as is.
        using var scaled = entryScale is null ? null : weights * entryScale;
        var sums = Sum(input, _columns, _offsets, scaled ?? weights);
        if (_partIndices is null) return sums;
        using (sums) return Sum(sums, _partIndices, _rowParts!, null);
    }

    /// <summary>embedding_bag(indices, offsets, weights) over the rows of <paramref name="table"/>.</summary>
    private Tensor Sum(Tensor table, Tensor indices, Tensor offsets, Tensor? weights)
    {
        using var weight = new Parameter(table, requires_grad: false);
        _bag.weight = weight;   // the module keeps its own reference to the same storage: no copy
        return _bag.call(indices, offsets, weights);
    }

    public void Dispose()
    {
        _bag.Dispose();
        _offsets.Dispose();
        _rowParts?.Dispose();
        _partIndices?.Dispose();
        _columns.Dispose();
        if (!ReferenceEquals(_transposedWeights, _weights)) _transposedWeights.Dispose();
        _weights.Dispose();
    }
}
