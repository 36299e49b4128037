using CFBench.Contracts;

namespace CFBench.Core.Datasets.Readers;

/// <summary>Counts readers report about a train/test pair.</summary>
public static class MatrixStats
{
    /// <summary>Number of (user, item) pairs present in both matrices (same shape).</summary>
    public static long Overlap(InteractionMatrix a, InteractionMatrix b)
    {
        long overlap = 0;
        int rows = Math.Min(a.Rows, b.Rows);
        for (int r = 0; r < rows; r++)
        {
            var x = a.Row(r);
            var y = b.Row(r);
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (x[i] == y[j]) { overlap++; i++; j++; }
                else if (x[i] < y[j]) i++;
                else j++;
            }
        }
        return overlap;
    }

    public static long EmptyRows(InteractionMatrix m)
    {
        long empty = 0;
        for (int r = 0; r < m.Rows; r++) if (m.RowLength(r) == 0) empty++;
        return empty;
    }
}
