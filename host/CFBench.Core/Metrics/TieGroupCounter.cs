using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Core.Metrics;

/// <summary>
/// Finds, on the device, the tie group of every relevant entry of a masked score block, for ranks inside the top
/// <c>maxK</c>. Per row, topk gives the K-th score thr; an entry with score s &lt; thr (or s = -inf, a masked
/// item) cannot reach the top K. Otherwise all scores &gt; s lie inside the top-K values, so gt = #(top values &gt; s)
/// is the group's start; its size is #(top values == s) for s &gt; thr and #(row == thr) for s == thr.
/// Only [entries × K] and [rows] counts come back to the host. Besides topk, only the rows of entries on the threshold
/// are read again: an evaluation is as fast as its scoring, topk and masking allow.
/// </summary>
public static class TieGroupCounter
{
    /// <param name="scores">[rows, columns] float scores, masked entries already -inf.</param>
    /// <param name="maxK">The largest cut-off graded.</param>
    /// <param name="relevantRows">Row of each relevant entry.</param>
    /// <param name="relevantColumns">Column of each relevant entry.</param>
    /// <returns>Per row, the tie groups of its relevant entries that can reach the top <paramref name="maxK"/>.</returns>
    public static List<TieGroup>[] Count(Tensor scores, int maxK, long[] relevantRows, long[] relevantColumns)
    {
        if (scores.dim() != 2) throw new ArgumentException("scores must be [rows, columns]");
        if (relevantRows.Length != relevantColumns.Length) throw new ArgumentException("relevant rows and columns differ in length");
        int rows = (int)scores.shape[0];
        long columns = scores.shape[1];
        var groups = new List<TieGroup>[rows];
        for (int b = 0; b < rows; b++) groups[b] = new List<TieGroup>();
        if (relevantRows.Length == 0 || columns == 0) return groups;

        long[] counts;
        using (NewDisposeScope())
        {
            var device = scores.device;
            int k = (int)Math.Min(maxK, columns);
            var top = scores.topk(k, dim: 1).Item1;                                   // [rows, k], descending
            // topk ranks NaN above every number, so a NaN anywhere in a row's unmasked scores is in its first place.
            if (top.select(1, 0).isnan().any().item<bool>()) throw new NaNScoresException();
            var threshold = top.select(1, k - 1);                                     // [rows]

            var r = tensor(relevantRows, device: device);
            var c = tensor(relevantColumns, device: device);
            var s = scores.index(new[] { r, c });                                     // [n]
            var topOfEntry = top.index_select(0, r);                                  // [n, k]
            var above = topOfEntry.gt(s.unsqueeze(1)).sum(1);                         // [n]
            var size = topOfEntry.eq(s.unsqueeze(1)).sum(1);                          // [n]
            var thresholdOfEntry = threshold.index_select(0, r);
            // An entry tied with the K-th score may tie with items beyond the top K: count its whole row. Few entries
            // sit on the threshold, so only their rows are read again, not the block.
            var onThreshold = s.eq(thresholdOfEntry).nonzero().squeeze(1);            // [m]
            if (onThreshold.shape[0] > 0)
            {
                var rowsOnThreshold = scores.index_select(0, r.index_select(0, onThreshold));
                // count_nonzero, not sum: summing bools first widens the rows to int64.
                var atThreshold = rowsOnThreshold.eq(thresholdOfEntry.index_select(0, onThreshold).unsqueeze(1)).count_nonzero(new long[] { 1 });
                size.index_put_(atThreshold, onThreshold);
            }
            var reachable = s.ge(thresholdOfEntry).logical_and(s.gt(float.NegativeInfinity)).to(int64);
            counts = stack(new[] { above, size, reachable }).cpu().data<long>().ToArray();
        }

        int n = relevantRows.Length;
        for (int i = 0; i < n; i++)
        {
            if (counts[2 * n + i] == 0) continue;
            var list = groups[relevantRows[i]];
            long start = counts[i], groupSize = counts[n + i];
            int at = list.FindIndex(g => g.Start == start);
            if (at < 0) list.Add(new TieGroup(start, groupSize, 1));
            else list[at] = list[at] with { Relevant = list[at].Relevant + 1 };
        }
        return groups;
    }
}

/// <summary>A score block has NaN among its ranked (unmasked) entries.</summary>
public sealed class NaNScoresException() : InvalidOperationException("NaN among the ranked scores");
