using CFBench.Contracts;

namespace CFBench.Core.Protocols;

/// <summary>
/// The [rows, width] candidate block of a sampled-protocol batch: row b holds the user's relevant items first, then
/// its negatives, padded with item 0 (padding is masked to -inf after scoring). With <c>dropDuplicates</c> a
/// negative equal to one of the user's relevant items is left out, so that item is ranked once (the official NCF
/// evaluator keys scores by item in a dict); otherwise the copy stays and ties with the relevant item.
/// </summary>
internal sealed record CandidateLayout(long[] Items, int Rows, int Width, int[] RelevantCounts, int[] Lengths)
{
    public static CandidateLayout Build(InteractionMatrix relevant, InteractionMatrix negatives, bool dropDuplicates)
    {
        int rows = relevant.Rows;
        var lengths = new int[rows];
        var relevantCounts = new int[rows];
        var lists = new List<int>[rows];
        for (int b = 0; b < rows; b++)
        {
            var rel = relevant.Row(b);
            var list = new List<int>(rel.Length + negatives.RowLength(b));
            foreach (var item in rel) list.Add(item);
            foreach (var item in negatives.Row(b))
                if (!dropDuplicates || rel.BinarySearch(item) < 0) list.Add(item);
            lists[b] = list;
            relevantCounts[b] = rel.Length;
            lengths[b] = list.Count;
        }
        int width = Math.Max(1, lengths.DefaultIfEmpty(0).Max());
        var items = new long[(long)rows * width];
        for (int b = 0; b < rows; b++)
            for (int j = 0; j < lists[b].Count; j++) items[(long)b * width + j] = lists[b][j];
        return new CandidateLayout(items, rows, width, relevantCounts, lengths);
    }
}
