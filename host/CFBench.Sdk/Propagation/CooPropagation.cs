using CFBench.Sdk.Graph;
using static TorchSharp.torch;

namespace CFBench.Sdk.Propagation;

/// <summary>Â·x as torch.mm of a COO sparse tensor (libtorch's own sparse kernel, with autograd).</summary>
internal sealed class CooPropagation : IPropagation
{
    private readonly Tensor _matrix;

    public CooPropagation(NormalizedAdjacency adjacency, Device device)
    {
        var rows = new long[adjacency.Entries];
        for (int t = 0; t < adjacency.Nodes; t++)
            Array.Fill(rows, t, (int)adjacency.RowOffsets[t], (int)(adjacency.RowOffsets[t + 1] - adjacency.RowOffsets[t]));
        using var indices = stack(new[] { tensor(rows), tensor(adjacency.Columns) });
        using var values = tensor(adjacency.Weights);
        _matrix = sparse_coo_tensor(indices, values, new long[] { adjacency.Nodes, adjacency.Nodes }).to(device);
    }

    public Tensor Propagate(Tensor x) => mm(_matrix, x);

    public void Dispose() => _matrix.Dispose();
}
