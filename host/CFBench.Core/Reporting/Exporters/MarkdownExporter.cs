using System.Text;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>The leaderboard as GitHub-flavoured Markdown: one table per dataset plus the cost table and provenance.</summary>
public sealed class MarkdownExporter : ILeaderboardExporter
{
    public string Format => "md";
    public string FileName => "index.md";

    public void Export(Leaderboard board, TextWriter output)
    {
        output.WriteLine($"# {Text(board.Suite)}");
        output.WriteLine();
        if (board.Description.Length > 0) { output.WriteLine(Text(board.Description)); output.WriteLine(); }
        output.WriteLine($"Protocol: {Text(string.Join("; ", board.Protocols))}. Baseline: {Text(board.Baseline ?? "none")}. " +
                         $"{board.RunsUsed} finished runs; {ReportFormat.Skipped(board)}. Generated {ReportFormat.Date(board.GeneratedAt)}.");
        output.WriteLine();
        output.WriteLine($"Cells: mean ± sample std over seeds (n). **Bold** best, <u>underlined</u> second. % is relative to the baseline. " +
                         $"† significantly below the column's best (paired t-test and Wilcoxon over users, Holm-adjusted p < {ReportFormat.Number(board.Alpha)}). " +
                         $"\"paper\" is the published value; ⚠ marks a delta beyond ±{ReportFormat.Number(board.ReferenceTolerance)}." +
                         (board.AnyTestSelection ? " ◆ the best epoch was picked on the test set (as in the official code; optimistic)." : ""));
        foreach (var d in board.Datasets)
        {
            output.WriteLine();
            output.WriteLine($"## {Text(d.Dataset)}");
            output.WriteLine();
            output.WriteLine("| Variant | " + string.Join(" | ", d.Columns.Select(Text)) + " |");
            output.WriteLine("|---|" + string.Concat(d.Columns.Select(_ => "---:|")));
            foreach (var row in d.Rows)
            {
                var label = Text(row.Label) + (row.IsBaseline ? " (baseline)" : "");
                output.WriteLine($"| {label} | " + string.Join(" | ", row.Cells.Select(Cell)) + " |");
            }
            output.WriteLine();
            output.WriteLine("| Variant | Runs | Epochs | Time/epoch | Samples/s | Eval time | Peak memory |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var c in d.Costs)
                output.WriteLine($"| {Text(c.Label)} | {c.Runs} | {ReportFormat.Number(c.EpochsRun)} | {ReportFormat.Seconds(c.SecondsPerEpoch)} | " +
                                 $"{ReportFormat.Rate(c.SamplesPerSecond)} | {ReportFormat.Seconds(c.EvaluationSeconds)} | {ReportFormat.Bytes(c.PeakMemoryBytes)} |");
        }
        var p = board.Provenance;
        output.WriteLine();
        output.WriteLine("## Provenance");
        output.WriteLine();
        output.WriteLine($"- Commits: {Text(string.Join(", ", p.GitCommits))}");
        output.WriteLine($"- Runs: {ReportFormat.Date(p.FirstStarted)} – {ReportFormat.Date(p.LastEnded)}");
        output.WriteLine($"- Devices: {Text(string.Join("; ", p.Devices))}");
        output.WriteLine($"- Libraries: {Text(string.Join("; ", p.Libraries))}");
        output.WriteLine($"- Plugins: {Text(string.Join("; ", p.Plugins))}");
        output.WriteLine($"- Hosts: {Text(string.Join(", ", p.Hosts))}");
        foreach (var c in p.DatasetChecksums)
            output.WriteLine($"- Dataset {Text(c.Dataset)}: fingerprint {Text(c.Fingerprint)}" + (c.Files.Count > 0 ? "; " + Text(string.Join("; ", c.Files)) : ""));
        foreach (var c in p.CellRuns)
            output.WriteLine($"- {Text(c.Dataset)} / {Text(c.Label)}: " + string.Join(", ", c.Runs.Select(r => $"#{r.Id} (seed {r.Seed}, key {r.Key})")));
    }

    private static string Cell(MetricCell? cell)
    {
        if (cell is null) return "–";
        var mean = ReportFormat.Metric(cell.Mean);
        var text = new StringBuilder(cell.Rank switch { CellRank.Best => $"**{mean}**", CellRank.Second => $"<u>{mean}</u>", _ => mean });
        if (cell.Std is { } std) text.Append(" ± ").Append(ReportFormat.Metric(std));
        text.Append($" (n={cell.N})").Append(ReportFormat.Marker(cell));
        if (cell.SelectedOnTest) text.Append(" ◆");
        if (cell.RelativeToBaseline is { } rel) text.Append(' ').Append(ReportFormat.Percent(rel));
        if (cell.Reference is { } r)
            text.Append($"<br>paper {ReportFormat.Metric(r.Value)} ({ReportFormat.SignedMetric(r.Delta)}{(r.OutsideTolerance ? " ⚠" : "")})");
        return text.ToString();
    }

    /// <summary>Free text inside a Markdown table: no raw HTML, no column breaks.</summary>
    private static string Text(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
