using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CFBench.Core.Reporting;
using CFBench.Core.Reporting.Exporters;
using CFBench.Core.Tracking;

namespace CFBench.Tests.Reporting;

public class LeaderboardHtmlTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The runs a report must count: finished, minus the superseded MF run (the one with the "note" parameter).</summary>
    private static List<RunRecord> Counted(IEnumerable<RunRecord> records) =>
        records.Where(r => r.Status == RunStatus.Finished && !r.Spec.DatasetFingerprint.EndsWith("-old", StringComparison.Ordinal)).ToList();

    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static double Std(double[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }

    /// <summary>References placed relative to the measured means: LightGCN recall within tolerance, LightGCN NDCG
    /// and MF recall outside it.</summary>
    private static Dictionary<(string, string), double> ReferencesFor(List<RunRecord> counted)
    {
        double Mean(string label, string column) => counted.Where(r => r.Spec.Dataset == "toy-a" && r.Spec.Label == label).Average(r => r.TestMetrics[column]);
        return new()
        {
            [("LightGCN/K3", "recall@20")] = Mean("LightGCN/K3", "recall@20") - 0.001,
            [("LightGCN/K3", "ndcg@20")] = Mean("LightGCN/K3", "ndcg@20") + 0.02,
            [("MF", "recall@20")] = Mean("MF", "recall@20") + 0.006,
        };
    }

    internal static (IDocument Html, List<RunRecord> Records, Dictionary<(string, string), double> References, Leaderboard Board) Render(IReadOnlyList<RunRecord> records)
    {
        var counted = Counted(records);
        var refs = ReferencesFor(counted);
        var suite = ReportFixture.Suite(new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>
        {
            ["toy-a"] = refs.GroupBy(kv => kv.Key.Item1).ToDictionary(g => g.Key,
                g => (IReadOnlyDictionary<string, double>)g.ToDictionary(kv => kv.Key.Item2, kv => kv.Value)),
        });
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, suite, records, Now);
        var writer = new StringWriter();
        new HtmlExporter().Export(board, writer);
        return (new HtmlParser().ParseDocument(writer.ToString()), records.ToList(), refs, board);
    }

    internal static void AssertTableMatchesRecords(IDocument html, IReadOnlyList<RunRecord> records, Dictionary<(string, string), double> references)
    {
        var counted = Counted(records);
        foreach (var dataset in new[] { "toy-a", "toy-b" })
        {
            var table = html.QuerySelector($"table.leaderboard[data-dataset='{dataset}']");
            Assert.NotNull(table);
            Assert.Equal(new[] { "Variant", "recall@20", "ndcg@20" }, table!.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()));
            var runs = counted.Where(r => r.Spec.Dataset == dataset).ToList();
            var labels = new[] { "MF", "LightGCN/K3", "NGCF" }.Where(l => runs.Any(r => r.Spec.Label == l)).ToArray();
            Assert.Equal(labels, table.QuerySelectorAll("tbody tr").Select(tr => tr.GetAttribute("data-label")));

            foreach (var column in ReportFixture.Columns)
            {
                var means = labels.ToDictionary(l => l, l => runs.Where(r => r.Spec.Label == l).Average(r => r.TestMetrics[column]));
                var ordered = means.Values.Distinct().OrderDescending().ToList();
                foreach (var label in labels)
                {
                    var cellRuns = runs.Where(r => r.Spec.Label == label).OrderBy(r => r.Spec.Seed).ToList();
                    var values = cellRuns.Select(r => r.TestMetrics[column]).ToArray();
                    var cell = table.QuerySelector($"tr[data-label='{label}'] td[data-column='{column}']");
                    Assert.NotNull(cell);
                    var where = $"{dataset}/{label}/{column}";

                    Assert.True(F4(values.Average()) == cell!.QuerySelector(".mean")!.TextContent, where);
                    Assert.Equal(values.Length.ToString(CultureInfo.InvariantCulture), cell.QuerySelector(".n-value")!.TextContent);
                    if (values.Length > 1) Assert.Equal(F4(Std(values)), cell.QuerySelector(".std")!.TextContent);
                    else Assert.Null(cell.QuerySelector(".std"));
                    Assert.Equal(string.Join(" ", cellRuns.Select(r => r.Id)), cell.GetAttribute("data-run-ids"));

                    bool best = means[label] == ordered[0], second = ordered.Count > 1 && means[label] == ordered[1];
                    Assert.True(best == (cell.QuerySelector("strong.mean") is not null), $"{where}: bold");
                    Assert.True(second == (cell.QuerySelector("u.mean") is not null), $"{where}: underline");

                    var relative = cell.QuerySelector(".relative");
                    if (label == "MF") Assert.Null(relative);
                    else Assert.Equal(((means[label] - means["MF"]) / means["MF"] * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%", relative!.TextContent);

                    bool testSelected = cellRuns.Any(r => r.Spec.Protocol.Selection == Core.Protocols.ModelSelection.Test);
                    Assert.True(testSelected == (cell.QuerySelector(".test-selected") is not null), $"{where}: test-selection flag");

                    if (dataset == "toy-a" && references.TryGetValue((label, column), out var reference))
                    {
                        Assert.Equal(F4(reference), cell.QuerySelector(".ref-value")!.TextContent);
                        var delta = cell.QuerySelector(".delta")!;
                        Assert.Equal((values.Average() - reference).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture), delta.TextContent);
                        Assert.True((Math.Abs(values.Average() - reference) > 0.005) == delta.ClassList.Contains("off"), $"{where}: red marking");
                    }
                    else Assert.Null(cell.QuerySelector(".reference"));
                }
            }
        }
    }

    [Fact]
    public void Every_number_in_the_tables_matches_the_records()
    {
        var (html, records, refs, _) = Render(ReportFixture.Records());
        AssertTableMatchesRecords(html, records, refs);
        // The fixture's references really exercise both sides of the tolerance.
        Assert.Equal(2, html.QuerySelectorAll("table.leaderboard .delta.off").Length);
        Assert.Single(html.QuerySelectorAll("table.leaderboard .delta:not(.off)"));
    }

    [Fact]
    public void Counts_only_finished_runs_and_says_what_was_skipped()
    {
        var (html, records, _, board) = Render(ReportFixture.Records());
        Assert.Equal(Counted(records).Count.ToString(CultureInfo.InvariantCulture), html.QuerySelector(".runs-used")!.TextContent);
        Assert.Equal("2 skipped (1 running, 1 failed)", html.QuerySelector(".runs-skipped")!.TextContent);
        Assert.Equal(1, board.RunsSuperseded);
    }

    [Fact]
    public void Significance_markers_follow_holm_adjusted_paired_tests_and_p_values_are_on_hover()
    {
        var (html, _, _, board) = Render(ReportFixture.Records());
        var toyA = board.Datasets.Single(d => d.Dataset == "toy-a");
        Assert.Equal(4, toyA.Comparisons); // two non-best variants in each of two columns
        foreach (var row in toyA.Rows)
            foreach (var cell in row.Cells)
            {
                var td = html.QuerySelector($"table[data-dataset='toy-a'] tr[data-label='{row.Label}'] td[data-column='{cell!.Column}']")!;
                var title = td.GetAttribute("title")!;
                if (cell.Rank == CellRank.Best) { Assert.Null(cell.Significance); Assert.Contains("best in column", title); continue; }
                var s = cell.Significance!;
                Assert.Equal(ReportFixture.Users, s.Users);
                Assert.True(s.TTestPHolm >= s.TTestP && s.WilcoxonPHolm >= s.WilcoxonP);
                Assert.Equal(s.TTestPHolm < 0.05 && s.WilcoxonPHolm < 0.05, td.QuerySelector(".sig") is not null);
                Assert.Contains($"paired t p={ReportFormat.PValue(s.TTestP)} (Holm {ReportFormat.PValue(s.TTestPHolm)})", title);
                Assert.Contains($"Wilcoxon p={ReportFormat.PValue(s.WilcoxonP)}", title);
            }
        // MF trails LightGCN by 0.05 recall over 300 users: clearly significant.
        Assert.NotNull(html.QuerySelector("table[data-dataset='toy-a'] tr[data-label='MF'] td[data-column='recall@20'] .sig"));
    }

    [Fact]
    public void Paired_tests_use_per_user_values_averaged_over_seeds_and_matched_by_user_id()
    {
        var records = ReportFixture.Records();
        var (_, _, _, board) = Render(records);
        var counted = Counted(records).Where(r => r.Spec.Dataset == "toy-a").ToList();
        Dictionary<int, double> PerUser(string label) => counted.Where(r => r.Spec.Label == label)
            .SelectMany(r => r.TestUsers!.Select((u, i) => (u, (double)r.TestPerUser!["recall@20"][i])))
            .GroupBy(x => x.u).ToDictionary(g => g.Key, g => g.Average(x => x.Item2));
        var best = PerUser("LightGCN/K3");
        var mf = PerUser("MF");
        var users = best.Keys.Order().ToArray();
        var expected = Core.Reporting.Statistics.PairedTTest.Test(users.Select(u => best[u]).ToArray(), users.Select(u => mf[u]).ToArray());
        var cell = board.Datasets[0].Rows.Single(r => r.Label == "MF").Cells[0]!;
        Assert.Equal(expected.P, cell.Significance!.TTestP, 12);
    }

    [Fact]
    public void Test_set_selection_is_flagged_and_explained()
    {
        var (html, _, _, _) = Render(ReportFixture.Records());
        Assert.Equal(2, html.QuerySelectorAll("table[data-dataset='toy-b'] tr[data-label='LightGCN/K3'] .test-selected").Length);
        Assert.Contains(html.QuerySelectorAll(".legend li"), li => li.TextContent.Contains("best epoch on the test set"));
    }

    [Fact]
    public void Curves_costs_and_provenance_are_rendered()
    {
        var (html, records, _, _) = Render(ReportFixture.Records());
        var section = html.QuerySelector("table[data-dataset='toy-a']")!.ParentElement!;
        var charts = section.QuerySelectorAll("svg.chart");
        Assert.Equal(2, charts.Length);
        Assert.All(charts, svg => Assert.Equal(3, svg.QuerySelectorAll("polyline").Length));
        // Loss chart: one point per epoch per variant (6 epochs each).
        Assert.Equal(18, charts[0].QuerySelectorAll("circle").Length);
        Assert.Equal(new[] { "MF", "LightGCN/K3", "NGCF" }, section.QuerySelectorAll("table.cost tbody th").Select(th => th.TextContent));
        var mfEpochs = Counted(records).Where(r => r.Spec.Dataset == "toy-a" && r.Spec.Label == "MF").SelectMany(r => r.Epochs).ToList();
        var mfCost = section.QuerySelector("table.cost tbody tr")!.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(ReportFormat.Seconds(mfEpochs.Average(e => e.Seconds)), mfCost[2]);
        Assert.Equal(ReportFormat.Bytes(mfEpochs.Max(e => e.PeakMemoryBytes)), mfCost[6]);
        // Samples/s over the whole run (total samples / total seconds), not a mean of per-epoch rates.
        Assert.Equal(ReportFormat.Rate(mfEpochs.Sum(e => e.SamplesPerSecond * e.Seconds) / mfEpochs.Sum(e => e.Seconds)), mfCost[3]);

        var footer = html.QuerySelector("footer")!.TextContent;
        Assert.Contains("c0ffee1234", footer);
        Assert.Contains("toy-a/train.txt sha256:sha-toy-a", footer);
        Assert.Contains("TorchSharp 0.107.0", footer);
        var mfRuns = Counted(records).Where(r => r.Spec.Dataset == "toy-a" && r.Spec.Label == "MF").OrderBy(r => r.Spec.Seed);
        Assert.Contains(string.Join(", ", mfRuns.Select(r => $"#{r.Id} (seed {r.Spec.Seed}, key {r.Key})")), footer);
    }

    [Fact]
    public void Model_and_dataset_names_render_as_text_never_as_markup()
    {
        const string evilModel = "<script>alert(1)</script>";
        const string evilDataset = "<img src=x onerror=alert(2)>";
        var run = ReportFixture.Make(evilDataset, evilModel, "\"v'&", 1, RunStatus.Finished, Core.Protocols.ModelSelection.Validation, 0, null,
            DateTimeOffset.UnixEpoch);
        var suite = ReportFixture.Suite() with { Description = "<b>bold?</b>", Datasets = new[] { evilDataset } };
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, suite, new[] { run.ToRecord(1) }, Now);
        var writer = new StringWriter();
        new HtmlExporter().Export(board, writer);
        var html = new HtmlParser().ParseDocument(writer.ToString());

        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.Empty(html.QuerySelectorAll("img"));
        Assert.Empty(html.QuerySelectorAll(".description b"));
        Assert.Empty(html.QuerySelectorAll("[onerror]"));
        var label = $"{evilModel}/\"v'&";
        Assert.Equal(label, html.QuerySelector("table.leaderboard tbody .label")!.TextContent);
        Assert.Equal(evilDataset, html.QuerySelector("section.dataset h2")!.TextContent);
        Assert.Equal("<b>bold?</b>", html.QuerySelector(".description")!.TextContent);
        Assert.Contains(html.QuerySelectorAll("svg text.legend"), t => t.TextContent.StartsWith("<script>"));

        var markdown = new StringWriter();
        new MarkdownExporter().Export(board, markdown);
        Assert.DoesNotContain("<script>", markdown.ToString());
        Assert.Contains("&lt;script&gt;", markdown.ToString());
    }
}
