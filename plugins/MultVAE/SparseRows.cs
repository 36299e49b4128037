using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.MultVAE;

/// <summary>
/// A batch of binary user rows as the network reads them, without a dense copy: the notebook's L2-normalised input
/// (each observed entry of a row with n items is 1/√n) in the CSR form embedding_bag takes, and the observed entries
/// as flat indices b·items + i for the likelihood.
/// </summary>
internal sealed class SparseRows : IDisposable
{
    private SparseRows(long count, Tensor items, Tensor offsets, Tensor normalized, Tensor observed)
    {
        Count = count;
        Items = items;
        Offsets = offsets;
        Normalized = normalized;
        Observed = observed;
    }

    public long Count { get; }

    /// <summary>Item of each observed entry (int64), row by row.</summary>
    public Tensor Items { get; }

    /// <summary>Where each row's entries start, with the end as a last offset (int64, Count + 1).</summary>
    public Tensor Offsets { get; }

    /// <summary>The L2-normalised value of each entry (float32): 1/√(row length).</summary>
    public Tensor Normalized { get; }

    /// <summary>b·items + i of each entry (int64).</summary>
    public Tensor Observed { get; }

    /// <summary>All rows of <paramref name="matrix"/>.</summary>
    public static SparseRows From(InteractionMatrix matrix, Device device)
    {
        var offsets = matrix.RowOffsets;
        var items = matrix.ColumnIndices;
        var normalized = new float[items.Length];
        var observed = new long[items.Length];
        for (int r = 0; r < matrix.Rows; r++)
        {
            // tf.nn.l2_normalize: x / √max(Σx², 1e-12); an empty row has no entries to scale.
            var value = (float)(1.0 / Math.Sqrt(Math.Max(matrix.RowLength(r), 1e-12)));
            for (int k = offsets[r]; k < offsets[r + 1]; k++)
            {
                normalized[k] = value;
                observed[k] = (long)r * matrix.Columns + items[k];
            }
        }
        return new SparseRows(matrix.Rows, tensor(items.ToArray(), dtype: int64, device: device),
            tensor(offsets.ToArray(), dtype: int64, device: device), tensor(normalized, device: device), tensor(observed, device: device));
    }

    /// <summary>The given rows of <paramref name="matrix"/>, in that order.</summary>
    public static SparseRows From(InteractionMatrix matrix, ReadOnlySpan<int> rows, Device device) =>
        From(matrix.SelectRows(rows), device);

    public void Dispose()
    {
        Items.Dispose();
        Offsets.Dispose();
        Normalized.Dispose();
        Observed.Dispose();
    }
}
