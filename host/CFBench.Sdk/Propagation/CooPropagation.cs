using CFBench.Sdk.Graph;
using static TorchSharp.torch;

namespace CFBench.Sdk.Propagation;

/// <summary>Â·x as torch.mm of a COO sparse tensor (libtorch's own sparse kernel, with autograd).</summary>
internal sealed class CooPropagation : IPropagation
{
    private readonly Tensor _matrix, _indices, _values;
    private readonly long _nodes;

    public CooPropagation(NormalizedAdjacency adjacency, Device device)
    {
        var rows = new long[adjacency.Entries];
        for (int t = 0; t < adjacency.Nodes; t++)
            Array.Fill(rows, t, (int)adjacency.RowOffsets[t], (int)(adjacency.RowOffsets[t + 1] - adjacency.RowOffsets[t]));
        _nodes = adjacency.Nodes;
        using (var indices = stack(new[] { tensor(rows), tensor(adjacency.Columns) })) _indices = indices.to(device);
        _values = tensor(adjacency.Weights, device: device);
        _matrix = sparse_coo_tensor(_indices, _values, new long[] { _nodes, _nodes });
    }

    public Tensor Propagate(Tensor x) => mm(_matrix, x);

    public Tensor Propagate(Tensor x, Tensor entryScale)
    {
        using var values = _values * entryScale;
        using var matrix = sparse_coo_tensor(_indices, values, new long[] { _nodes, _nodes });
        return mm(matrix, x);
    }

    public void Dispose()
    {
        _matrix.Dispose();
        _values.Dispose();
        _indices.Dispose();
    }
}
