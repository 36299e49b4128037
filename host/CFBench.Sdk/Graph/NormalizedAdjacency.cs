using CFBench.Contracts;

namespace CFBench.Sdk.Graph;

/// <summary>
/// The propagation matrix Â of the user–item graph in CSR form over nodes [users..., items...] (item i is node
/// Users + i): row t holds t's neighbours n with weight c(t, n), and, with self-loops (NGCF's D⁻¹(A+I)), t itself,
/// every degree then counting the loop. Built straight from the training CSR arrays, never densely. The sparsity pattern is symmetric, so Âᵀ has the same
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

    /// <summary>For every stored entry k at (t, n), the index of the entry at (n, t) (the pattern is symmetric, so it
    /// exists; a self-loop is its own mirror). A per-entry scale S of Â gives (Â∘S)ᵀ the weights
    /// <see cref="TransposedWeights"/>[k]·S[mirror[k]].</summary>
    public long[] MirrorEntries()
    {
        var mirror = new long[Entries];
        for (int t = 0; t < Nodes; t++)
            for (long k = RowOffsets[t]; k < RowOffsets[t + 1]; k++)
            {
                long n = Columns[k], start = RowOffsets[n], length = RowOffsets[n + 1] - start;
                mirror[k] = Array.BinarySearch(Columns, (int)start, (int)length, (long)t);   // columns are sorted in each row
            }
        return mirror;
    }

    /// <param name="selfLoops">Adds (t, t) to every row (A + I); degrees include it. Columns stay sorted in each row.</param>
    public static NormalizedAdjacency Build(TrainingSet train, Normalization norm, bool selfLoops = false)
    {
        var userItems = train.UserItems;
        var itemUsers = train.ItemUsers;
        int users = train.Users, items = train.Items, loop = selfLoops ? 1 : 0;
        long entries = 2 * userItems.Count + (long)loop * (users + items);
        var offsets = new long[users + items + 1];
        var columns = new long[entries];
        var weights = new float[entries];
        bool symmetric = norm.IsSymmetric();
        var transposed = symmetric ? weights : new float[entries];
        void Loop(ref long at, int node, int degree)
        {
            columns[at] = node;
            weights[at] = (float)norm.Coefficient(degree, degree);
            if (!symmetric) transposed[at] = weights[at];
            at++;
        }

        long k = 0;
        for (int u = 0; u < users; u++)
        {
            offsets[u] = k;
            int du = userItems.RowLength(u) + loop;
            if (selfLoops) Loop(ref k, u, du);   // a user's neighbours are items, numbered after every user
            foreach (var i in userItems.Row(u))
            {
                int di = itemUsers.RowLength(i) + loop;
                columns[k] = users + i;
                weights[k] = (float)norm.Coefficient(du, di);
                if (!symmetric) transposed[k] = (float)norm.Coefficient(di, du);
                k++;
            }
        }
        for (int i = 0; i < items; i++)
        {
            offsets[users + i] = k;
            int di = itemUsers.RowLength(i) + loop;
            foreach (var u in itemUsers.Row(i))
            {
                int du = userItems.RowLength(u) + loop;
                columns[k] = u;
                weights[k] = (float)norm.Coefficient(di, du);
                if (!symmetric) transposed[k] = (float)norm.Coefficient(du, di);
                k++;
            }
            if (selfLoops) Loop(ref k, users + i, di);
        }
        offsets[users + items] = k;
        return new NormalizedAdjacency(users, items, offsets, columns, weights, transposed);
    }
}
