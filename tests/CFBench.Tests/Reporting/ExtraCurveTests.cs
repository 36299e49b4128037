using AngleSharp.Html.Parser;
using CFBench.Core.Reporting;
using CFBench.Core.Reporting.Exporters;
using CFBench.Core.Tracking;

namespace CFBench.Tests.Reporting;

/// <summary>A suite's <c>curves</c>: figures models report per epoch, drawn as charts beside the loss.</summary>
public class ExtraCurveTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The fixture's runs, LightGCN/K3 on toy-a reporting <c>beta</c> = seed × epoch / 100.</summary>
    private static List<RunRecord> RecordsWithBeta() => ReportFixture.Records().Select(r =>
        r.Spec is { Dataset: "toy-a", Label: "LightGCN/K3" }
            ? r with { Epochs = r.Epochs.Select(e => e with { Extra = new Dictionary<string, double> { ["beta"] = r.Spec.Seed * e.Epoch / 100.0 } }).ToList() }
            : r).ToList();

    [Fact]
    public void A_listed_figure_is_averaged_over_seeds_per_epoch_for_the_variants_that_report_it()
    {
        var suite = ReportFixture.Suite() with { Curves = new[] { "beta" } };
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, suite, RecordsWithBeta(), Now);

        var toyA = board.Datasets.Single(d => d.Dataset == "toy-a");
        var beta = Assert.Single(toyA.ExtraCurves);
        Assert.Equal("beta", beta.Figure);
        var curve = Assert.Single(beta.Curves);
        Assert.Equal("LightGCN/K3", curve.Label);
        // Finished seeds 1, 2, 3: mean seed 2, so epoch e averages 2e/100.
        Assert.Equal(Enumerable.Range(1, 6).Select(e => new CurvePoint(e, 2 * e / 100.0)), curve.Points,
            (a, b) => a.Epoch == b.Epoch && Math.Abs(a.Value - b.Value) < 1e-12);
        Assert.Empty(board.Datasets.Single(d => d.Dataset == "toy-b").ExtraCurves.Single().Curves);
    }

    [Fact]
    public void The_html_report_draws_one_more_chart_per_listed_figure()
    {
        var suite = ReportFixture.Suite() with { Curves = new[] { "beta" } };
        var writer = new StringWriter();
        new HtmlExporter().Export(new LeaderboardBuilder().Build(ReportFixture.SuiteName, suite, RecordsWithBeta(), Now), writer);
        var html = new HtmlParser().ParseDocument(writer.ToString());

        var charts = html.QuerySelector("table[data-dataset='toy-a']")!.ParentElement!.QuerySelectorAll("svg.chart");
        Assert.Equal(3, charts.Length);
        Assert.Equal("toy-a: beta per epoch (mean over seeds)", charts[2].GetAttribute("aria-label"));
        Assert.Single(charts[2].QuerySelectorAll("polyline"));
        Assert.Equal(6, charts[2].QuerySelectorAll("circle").Length);

        // toy-b's runs never reported it: the chart says so instead of drawing nothing.
        var toyB = html.QuerySelector("table[data-dataset='toy-b']")!.ParentElement!.QuerySelectorAll("svg.chart");
        Assert.Contains("no data recorded", toyB[2].TextContent);

        var plain = new StringWriter();
        new HtmlExporter().Export(new LeaderboardBuilder().Build(ReportFixture.SuiteName, ReportFixture.Suite(), RecordsWithBeta(), Now), plain);
        Assert.Equal(2, new HtmlParser().ParseDocument(plain.ToString())
            .QuerySelector("table[data-dataset='toy-a']")!.ParentElement!.QuerySelectorAll("svg.chart").Length);
    }
}
