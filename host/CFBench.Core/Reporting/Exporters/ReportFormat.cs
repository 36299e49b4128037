using System.Globalization;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>How the human-readable exporters print numbers (invariant culture, fixed precision).</summary>
public static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Metric(double value) => double.IsFinite(value) ? value.ToString("0.0000", Invariant) : "–";

    public static string SignedMetric(double value) => value.ToString("+0.0000;-0.0000;0.0000", Invariant);

    public static string Percent(double fraction) => (fraction * 100).ToString("+0.0;-0.0;0.0", Invariant) + "%";

    public static string PValue(double p) =>
        double.IsNaN(p) ? "n/a" : p < 1e-4 ? "<0.0001" : p.ToString("0.0000", Invariant);

    public static string Seconds(double s) =>
        !double.IsFinite(s) ? "–" : s >= 100 ? s.ToString("0", Invariant) + " s" : s >= 1 ? s.ToString("0.0#", Invariant) + " s" : (s * 1000).ToString("0.#", Invariant) + " ms";

    public static string Bytes(long bytes) =>
        bytes <= 0 ? "–" : bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.00", Invariant) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.0", Invariant) + " MiB";

    public static string Rate(double perSecond) => double.IsFinite(perSecond) ? perSecond.ToString("#,0", Invariant) : "–";

    public static string Number(double value) => value.ToString("0.##", Invariant);

    public static string Date(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant) : "–";

    /// <summary>"none skipped" or e.g. "2 skipped (1 running, 1 failed)".</summary>
    public static string Skipped(Leaderboard board) =>
        board.SkippedTotal == 0 ? "none skipped"
        : $"{board.SkippedTotal} skipped (" + string.Join(", ", board.RunsSkipped.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} {kv.Key.ToString().ToLowerInvariant()}")) + ")";

    /// <summary>Significance marker for a cell: † when both Holm-adjusted tests reject equality with the column's best.</summary>
    public static string Marker(MetricCell cell) => cell.Significance is { Significant: true } ? "†" : "";

    /// <summary>The hover text of a cell: its runs and the paired tests against the column's best.</summary>
    public static string CellTitle(MetricCell cell)
    {
        var lines = new List<string> { $"runs {string.Join(", ", cell.RunIds.Select(id => "#" + id))}" };
        if (cell.Significance is { } s)
            lines.Add($"vs {s.Against} over {s.Users} users: paired t p={PValue(s.TTestP)} (Holm {PValue(s.TTestPHolm)}), " +
                      $"Wilcoxon p={PValue(s.WilcoxonP)} (Holm {PValue(s.WilcoxonPHolm)})");
        else if (cell.Rank == CellRank.Best) lines.Add("best in column");
        else lines.Add("no per-user vectors: not tested");
        if (cell.SelectedOnTest) lines.Add("best epoch picked on the test set");
        return string.Join("\n", lines);
    }
}
