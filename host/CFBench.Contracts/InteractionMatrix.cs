namespace CFBench.Contracts;

/// <summary>
/// A read-only binary user×item (row×column) matrix in CSR form: the columns of row r are
/// <c>ColumnIndices[RowOffsets[r] .. RowOffsets[r+1])</c>, sorted ascending and without duplicates.
/// </summary>
public sealed class InteractionMatrix
{
    private readonly int[] _rowOffsets;
    private readonly int[] _columns;

    public InteractionMatrix(int rows, int columns, int[] rowOffsets, int[] columnIndices)
    {
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), "negative shape");
        if (rowOffsets.Length != rows + 1) throw new ArgumentException($"rowOffsets has {rowOffsets.Length} entries, expected {rows + 1}");
        if (rowOffsets[0] != 0 || rowOffsets[rows] != columnIndices.Length)
            throw new ArgumentException("rowOffsets must start at 0 and end at the number of entries");
        for (int r = 0; r < rows; r++)
        {
            int start = rowOffsets[r], end = rowOffsets[r + 1];
            if (end < start) throw new ArgumentException($"rowOffsets decreases at row {r}");
            for (int k = start; k < end; k++)
            {
                int c = columnIndices[k];
                if ((uint)c >= (uint)columns) throw new ArgumentException($"row {r}: column {c} out of range [0, {columns})");
                if (k > start && columnIndices[k - 1] >= c) throw new ArgumentException($"row {r}: columns not sorted and unique");
            }
        }
        Rows = rows;
        Columns = columns;
        _rowOffsets = rowOffsets;
        _columns = columnIndices;
    }

    public int Rows { get; }
    public int Columns { get; }
    public int Count => _columns.Length;
    public ReadOnlySpan<int> RowOffsets => _rowOffsets;
    public ReadOnlySpan<int> ColumnIndices => _columns;

    public ReadOnlySpan<int> Row(int row) => _columns.AsSpan(_rowOffsets[row], _rowOffsets[row + 1] - _rowOffsets[row]);
    public int RowLength(int row) => _rowOffsets[row + 1] - _rowOffsets[row];

    public bool Contains(int row, int column) => Row(row).BinarySearch(column) >= 0;

    /// <summary>Builds a matrix from (row, column) pairs in any order; duplicate pairs are kept once.</summary>
    public static InteractionMatrix FromPairs(int rows, int columns, ReadOnlySpan<int> pairRows, ReadOnlySpan<int> pairColumns)
    {
        if (pairRows.Length != pairColumns.Length) throw new ArgumentException("pair arrays differ in length");
        var counts = new int[rows + 1];
        foreach (var r in pairRows)
        {
            if ((uint)r >= (uint)rows) throw new ArgumentException($"row {r} out of range [0, {rows})");
            counts[r + 1]++;
        }
        for (int r = 0; r < rows; r++) counts[r + 1] += counts[r];
        var cursor = (int[])counts.Clone();
        var cols = new int[pairRows.Length];
        for (int k = 0; k < pairRows.Length; k++) cols[cursor[pairRows[k]]++] = pairColumns[k];

        var offsets = new int[rows + 1];
        int write = 0;
        for (int r = 0; r < rows; r++)
        {
            var span = cols.AsSpan(counts[r], counts[r + 1] - counts[r]);
            span.Sort();
            offsets[r] = write;
            for (int k = 0; k < span.Length; k++)
                if (k == 0 || span[k] != span[k - 1]) cols[write++] = span[k];
        }
        offsets[rows] = write;
        return new InteractionMatrix(rows, columns, offsets, write == cols.Length ? cols : cols[..write]);
    }

    /// <summary>The column×row matrix (item×user for a user×item matrix).</summary>
    public InteractionMatrix Transpose()
    {
        var rowsOfEntries = new int[Count];
        for (int r = 0; r < Rows; r++)
            for (int k = _rowOffsets[r]; k < _rowOffsets[r + 1]; k++) rowsOfEntries[k] = r;
        return FromPairs(Columns, Rows, _columns, rowsOfEntries);
    }

    /// <summary>The row index of every entry, aligned with <see cref="ColumnIndices"/> (COO rows).</summary>
    public int[] EntryRows()
    {
        var result = new int[Count];
        for (int r = 0; r < Rows; r++) result.AsSpan(_rowOffsets[r], RowLength(r)).Fill(r);
        return result;
    }

    /// <summary>Number of entries per column.</summary>
    public int[] ColumnCounts()
    {
        var counts = new int[Columns];
        foreach (var c in _columns) counts[c]++;
        return counts;
    }

    /// <summary>A matrix holding only the given rows, in the given order (row b = row <c>rows[b]</c>).</summary>
    public InteractionMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var offsets = new int[rows.Length + 1];
        for (int b = 0; b < rows.Length; b++) offsets[b + 1] = offsets[b] + RowLength(rows[b]);
        var cols = new int[offsets[rows.Length]];
        for (int b = 0; b < rows.Length; b++) Row(rows[b]).CopyTo(cols.AsSpan(offsets[b]));
        return new InteractionMatrix(rows.Length, Columns, offsets, cols);
    }
}
