using CFBench.Contracts;

namespace CFBench.Plugins.LightGCN.Graph;

/// <summary>
/// The propagation matrix Â of the user–item graph in CSR form over nodes [users..., items...] (item i is node
/// Users + i), without self-loops: row t holds t's neighbours n with weight c(t, n). Built straight from the
/// training CSR arrays, never densely. The sparsity pattern is symmetric, so Âᵀ has the same
/// <see cref="RowOffsets"/> and <see cref="Columns"/>, with <see cref="TransposedWeights"/> (c(n, t) at (t, n)).
/// </summary>
public sealed class NormalizedAdjacency
{
    private NormalizedAdjacency(int users, int items, long[] rowOffsets, long[] columns, float[] weights, float[] transposed)
    {
        Users = users;
        Items = items;
        RowOffsets = rowOffsets;
        Columns = columns;
        Weights = weights;
        TransposedWeights = transposed;
    }

    public int Users { get; }
    public int Items { get; }
    public int Nodes => Users + Items;
    public long Entries => Columns.LongLength;
    public long[] RowOffsets { get; }
    public long[] Columns { get; }
    public float[] Weights { get; }
    public float[] TransposedWeights { get; }

    public static NormalizedAdjacency Build(TrainingSet train, Normalization norm)
    {
        var userItems = train.UserItems;
        var itemUsers = train.ItemUsers;
        int users = train.Users, items = train.Items;
        long edges = userItems.Count;
        var offsets = new long[users + items + 1];
        var columns = new long[2 * edges];
        var weights = new float[2 * edges];
        bool symmetric = norm.IsSymmetric();
        var transposed = symmetric ? weights : new float[2 * edges];

        long k = 0;
        for (int u = 0; u < users; u++)
        {
            offsets[u] = k;
            int du = userItems.RowLength(u);
            foreach (var i in userItems.Row(u))
            {
                int di = itemUsers.RowLength(i);
                columns[k] = users + i;
                weights[k] = (float)norm.Coefficient(du, di);
                if (!symmetric) transposed[k] = (float)norm.Coefficient(di, du);
                k++;
            }
        }
        for (int i = 0; i < items; i++)
        {
            offsets[users + i] = k;
            int di = itemUsers.RowLength(i);
            foreach (var u in itemUsers.Row(i))
            {
                int du = userItems.RowLength(u);
                columns[k] = u;
                weights[k] = (float)norm.Coefficient(di, du);
                if (!symmetric) transposed[k] = (float)norm.Coefficient(du, di);
                k++;
            }
        }
        offsets[users + items] = k;
        return new NormalizedAdjacency(users, items, offsets, columns, weights, transposed);
    }
}
