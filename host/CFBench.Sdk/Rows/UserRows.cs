using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Sdk;

/// <summary>Rows of a user×item matrix as dense float32 0/1 tensors on the device (one upload of the entry
/// indices, no per-row transfers): what autoencoders (Mult-VAE, Mult-DAE) and EASE read.</summary>
public static class UserRows
{
    /// <summary>All rows of <paramref name="matrix"/>: [rows, columns].</summary>
    public static Tensor Dense(InteractionMatrix matrix, Device device)
    {
        using var scope = NewDisposeScope();
        var dense = zeros(matrix.Rows, matrix.Columns, dtype: float32, device: device);
        if (matrix.Count > 0)
        {
            var rows = tensor(matrix.EntryRows(), dtype: int64, device: device);
            var columns = tensor(matrix.ColumnIndices.ToArray(), dtype: int64, device: device);
            dense.index_put_(ones(matrix.Count, dtype: float32, device: device), rows, columns);
        }
        return dense.MoveToOuterDisposeScope();
    }

    /// <summary>The given rows of <paramref name="matrix"/>, in that order: [rows.Length, columns].</summary>
    public static Tensor Dense(InteractionMatrix matrix, ReadOnlySpan<int> rows, Device device) =>
        Dense(matrix.SelectRows(rows), device);
}

/// <summary>One mini-batch of users: their row numbers and their dense rows on the device.</summary>
public sealed record UserRowBatch(int[] Users, Tensor Rows) : IDisposable
{
    public void Dispose() => Rows.Dispose();
}

/// <summary>
/// An epoch over the users of a matrix in mini-batches, in an order drawn from a seeded generator (the Mult-VAE
/// notebook shuffles the training users every epoch and feeds batches of 500 dense rows). Users without items are
/// kept, as the notebook keeps every training user.
/// </summary>
public sealed class UserRowBatches(InteractionMatrix matrix, int batchSize, Device device)
{
    public int Users => matrix.Rows;

    public int BatchCount => (matrix.Rows + batchSize - 1) / batchSize;

    /// <summary>The epoch's batches; each batch's tensor belongs to the caller (dispose it, or use a dispose scope).</summary>
    public IEnumerable<UserRowBatch> Epoch(RandomStream random) =>
        EpochUsers(random).Select(users => new UserRowBatch(users, UserRows.Dense(matrix, users, device)));

    /// <summary>The epoch's batches as user numbers only, in the order <see cref="Epoch"/> draws (the same draw):
    /// for models that read the rows sparsely and need no dense copy.</summary>
    public IEnumerable<int[]> EpochUsers(RandomStream random)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size {batchSize} must be positive");
        int[] order;
        using (var permutation = randperm(matrix.Rows, dtype: int64, generator: random.Generator))
            order = permutation.data<long>().Select(u => (int)u).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
            yield return order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
    }
}
