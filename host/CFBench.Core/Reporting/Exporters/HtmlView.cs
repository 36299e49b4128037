using System.Net;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>
/// What the HTML templates see (Scriban names members in snake_case: <c>run_ids</c>). Every string here is
/// already HTML-escaped, numbers are formatted, and charts are finished SVG markup, so a template prints
/// values as they are and cannot forget to escape a model name.
/// </summary>
public sealed record HtmlView(
    string Title, string Suite, string Description, IReadOnlyList<string> Protocols, string Baseline, string Generated,
    int RunsUsed, string Skipped, int Superseded, string Alpha, string Tolerance, bool AnyTestSelection,
    IReadOnlyList<HtmlDataset> Datasets, HtmlProvenance Provenance)
{
    public static HtmlView From(Leaderboard b) => new(
        E($"{b.Suite} — CFBench leaderboard"), E(b.Suite), E(b.Description), b.Protocols.Select(E).ToList(), E(b.Baseline ?? ""),
        E(ReportFormat.Date(b.GeneratedAt)), b.RunsUsed, E(ReportFormat.Skipped(b)), b.RunsSuperseded,
        E(ReportFormat.Number(b.Alpha)), E(ReportFormat.Number(b.ReferenceTolerance)), b.AnyTestSelection,
        b.Datasets.Select((d, i) => HtmlDataset.From(d, i)).ToList(), HtmlProvenance.From(b.Provenance));

    internal static string E(string s) => WebUtility.HtmlEncode(s);
}

public sealed record HtmlDataset(
    string Name, string Anchor, IReadOnlyList<string> Columns, IReadOnlyList<HtmlRow> Rows, int Comparisons,
    string SelectionMetric, string LossChart, string SelectionChart, IReadOnlyList<HtmlCost> Costs)
{
    /// <summary>One chart per figure of the suite's <c>curves</c>.</summary>
    public IReadOnlyList<string> ExtraCharts { get; init; } = Array.Empty<string>();

    public static HtmlDataset From(DatasetBoard d, int index) => new(
        HtmlView.E(d.Dataset), $"dataset-{index + 1}", d.Columns.Select(HtmlView.E).ToList(),
        d.Rows.Select(HtmlRow.From).ToList(), d.Comparisons, HtmlView.E(d.SelectionMetric),
        SvgLineChart.Render($"{d.Dataset}: training loss per epoch (mean over seeds)", "loss", d.LossCurves),
        SvgLineChart.Render($"{d.Dataset}: {d.SelectionMetric} at each selection evaluation (mean over seeds)", d.SelectionMetric, d.SelectionCurves),
        d.Costs.Select(HtmlCost.From).ToList())
    {
        ExtraCharts = d.ExtraCurves.Select(f => SvgLineChart.Render($"{d.Dataset}: {f.Figure} per epoch (mean over seeds)", f.Figure, f.Curves)).ToList(),
    };
}

public sealed record HtmlRow(string Label, bool IsBaseline, bool SelectedOnTest, string Seeds, IReadOnlyList<HtmlCell> Cells)
{
    public static HtmlRow From(VariantRow r) => new(
        HtmlView.E(r.Label), r.IsBaseline, r.SelectedOnTest, HtmlView.E(string.Join(", ", r.Seeds)),
        r.Cells.Select(HtmlCell.From).ToList());
}

/// <summary>One table cell. <see cref="Empty"/> when the variant has no value for the column; <see cref="Rank"/> is
/// <c>best</c>, <c>second</c> or empty.</summary>
public sealed record HtmlCell(
    bool Empty, string Column, string Mean, string Std, string N, string Rank, string Marker, string Relative,
    string Title, bool HasReference, string Reference, string Delta, bool DeltaOff, bool TestSelected, string RunIds)
{
    public static HtmlCell From(MetricCell? c) => c is null
        ? new HtmlCell(true, "", "", "", "", "", "", "", "", false, "", "", false, false, "")
        : new HtmlCell(false, HtmlView.E(c.Column), ReportFormat.Metric(c.Mean), c.Std is { } s ? ReportFormat.Metric(s) : "",
            c.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
            c.Rank switch { CellRank.Best => "best", CellRank.Second => "second", _ => "" },
            HtmlView.E(ReportFormat.Marker(c)), c.RelativeToBaseline is { } r ? HtmlView.E(ReportFormat.Percent(r)) : "",
            HtmlView.E(ReportFormat.CellTitle(c)).Replace("\n", "&#10;"),
            c.Reference is not null, c.Reference is { } rf ? ReportFormat.Metric(rf.Value) : "",
            c.Reference is { } d ? ReportFormat.SignedMetric(d.Delta) : "", c.Reference?.OutsideTolerance ?? false,
            c.SelectedOnTest, string.Join(" ", c.RunIds));
}

public sealed record HtmlCost(string Label, int Runs, string Epochs, string PerEpoch, string SamplesPerSecond, string Evaluation,
    string Train, string PeakMemory, string Devices)
{
    public static HtmlCost From(CostRow c) => new(
        HtmlView.E(c.Label), c.Runs, ReportFormat.Number(c.EpochsRun), HtmlView.E(ReportFormat.Seconds(c.SecondsPerEpoch)),
        HtmlView.E(ReportFormat.Rate(c.SamplesPerSecond)), HtmlView.E(ReportFormat.Seconds(c.EvaluationSeconds)),
        HtmlView.E(ReportFormat.Seconds(c.TrainSeconds)), HtmlView.E(ReportFormat.Bytes(c.PeakMemoryBytes)),
        HtmlView.E(string.Join("; ", c.Devices)));
}

public sealed record HtmlProvenance(
    IReadOnlyList<string> Commits, string Period, IReadOnlyList<string> Devices, IReadOnlyList<string> Libraries,
    IReadOnlyList<string> Plugins, IReadOnlyList<string> Hosts, IReadOnlyList<HtmlChecksum> Checksums, IReadOnlyList<HtmlCellRuns> CellRuns)
{
    public static HtmlProvenance From(ReportProvenance p) => new(
        p.GitCommits.Select(HtmlView.E).ToList(),
        HtmlView.E($"{ReportFormat.Date(p.FirstStarted)} – {ReportFormat.Date(p.LastEnded)}"),
        p.Devices.Select(HtmlView.E).ToList(), p.Libraries.Select(HtmlView.E).ToList(), p.Plugins.Select(HtmlView.E).ToList(),
        p.Hosts.Select(HtmlView.E).ToList(),
        p.DatasetChecksums.Select(c => new HtmlChecksum(HtmlView.E(c.Dataset), HtmlView.E(c.Fingerprint), c.Files.Select(HtmlView.E).ToList())).ToList(),
        p.CellRuns.Select(c => new HtmlCellRuns(HtmlView.E(c.Dataset), HtmlView.E(c.Label),
            HtmlView.E(string.Join(", ", c.Runs.Select(r => $"#{r.Id} (seed {r.Seed}, key {r.Key})"))))).ToList());
}

public sealed record HtmlChecksum(string Dataset, string Fingerprint, IReadOnlyList<string> Files);

public sealed record HtmlCellRuns(string Dataset, string Label, string Runs);

/// <summary>The site index: every published suite.</summary>
public sealed record HtmlSiteView(string Title, string Generated, IReadOnlyList<HtmlSiteEntry> Suites);

public sealed record HtmlSiteEntry(string Name, string Href, string Description, string Updated);
