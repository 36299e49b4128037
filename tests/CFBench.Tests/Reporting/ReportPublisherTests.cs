using System.Globalization;
using AngleSharp.Html.Parser;
using CFBench.Core.Reporting;
using CFBench.Core.Reporting.Exporters;

namespace CFBench.Tests.Reporting;

public class ReportPublisherTests
{
    private static Leaderboard Board(string suite = ReportFixture.SuiteName) =>
        new LeaderboardBuilder().Build(suite, ReportFixture.Suite(), ReportFixture.Records().Select(r => r with { Spec = r.Spec with { Suite = suite } }).ToList(),
            new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Publishes_all_formats_and_lists_every_suite_in_the_site_index()
    {
        var root = RepoPaths.TempDirectory();
        var publisher = new ReportPublisher(ReportTemplates.Embedded);
        var descriptions = new Dictionary<string, string> { ["demo"] = "first suite", ["other"] = "second <suite>" };
        var written = publisher.Publish(Board(), root, new[] { "html", "md", "csv" }, descriptions);
        Assert.Equal(4, written.Count);
        foreach (var f in new[] { "index.html", "index.md", "index.csv" }) Assert.True(File.Exists(Path.Combine(root, "demo", f)), f);
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));

        publisher.Publish(Board("other"), root, new[] { "html" }, descriptions);
        Directory.CreateDirectory(Path.Combine(root, "templates")); // not a suite: no index.html
        publisher.WriteSiteIndex(root, descriptions, DateTimeOffset.UtcNow);
        var index = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(root, "index.html")));
        var links = index.QuerySelectorAll("table.suites a").Select(a => (a.TextContent, a.GetAttribute("href") ?? "")).ToList();
        Assert.Equal(new[] { ("demo", "demo/index.html"), ("other", "other/index.html") }, links);
        Assert.Contains(index.QuerySelectorAll("td"), td => td.TextContent == "second <suite>");
        Assert.False(File.Exists(Path.Combine(root, "other", "index.md")));
    }

    [Fact]
    public void Csv_holds_the_same_cells_at_full_precision()
    {
        var board = Board();
        var writer = new StringWriter();
        new CsvExporter().Export(board, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", CsvExporter.Header), lines[0]);
        var cells = board.Datasets.SelectMany(d => d.Rows.SelectMany(r => r.Cells.Select(c => (d.Dataset, r.Label, Cell: c!)))).ToList();
        Assert.Equal(cells.Count, lines.Length - 1);
        var col = CsvExporter.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        foreach (var (line, expected) in lines.Skip(1).Zip(cells))
        {
            var f = line.Split(',');
            Assert.Equal(expected.Dataset, f[col["dataset"]]);
            Assert.Equal(expected.Label, f[col["variant"]]);
            Assert.Equal(expected.Cell.Mean, double.Parse(f[col["mean"]], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Cell.N, int.Parse(f[col["n"]], CultureInfo.InvariantCulture));
            Assert.Equal(string.Join(" ", expected.Cell.RunIds), f[col["run_ids"]]);
        }
    }

    [Fact]
    public void Markdown_marks_best_and_second_like_the_html()
    {
        var board = Board();
        var writer = new StringWriter();
        new MarkdownExporter().Export(board, writer);
        var text = writer.ToString();
        foreach (var cell in board.Datasets.SelectMany(d => d.Rows.SelectMany(r => r.Cells)))
        {
            var mean = ReportFormat.Metric(cell!.Mean);
            Assert.Contains(cell.Rank switch { CellRank.Best => $"**{mean}**", CellRank.Second => $"<u>{mean}</u>", _ => $"| {mean}" }, text);
        }
    }

    [Fact]
    public void Template_folder_overrides_the_embedded_templates_and_errors_name_the_file()
    {
        var dir = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "suite.html.sbn"), "<p id=\"custom\">{{ suite }}: {{ datasets.size }} datasets</p>");
        var writer = new StringWriter();
        new HtmlExporter(new ReportTemplates(new[] { dir })).Export(Board(), writer);
        Assert.Equal("<p id=\"custom\">demo: 2 datasets</p>", writer.ToString());

        File.WriteAllText(Path.Combine(dir, "suite.html.sbn"), "{{ for x in datasets }}");
        var parse = Assert.Throws<InvalidDataException>(() => new HtmlExporter(new ReportTemplates(new[] { dir })).Export(Board(), new StringWriter()));
        Assert.Contains(Path.Combine(dir, "suite.html.sbn"), parse.Message);

        File.WriteAllText(Path.Combine(dir, "suite.html.sbn"), "{{ no_such_member }}");
        var runtime = Assert.Throws<InvalidDataException>(() => new HtmlExporter(new ReportTemplates(new[] { dir })).Export(Board(), new StringWriter()));
        Assert.Contains("suite.html.sbn", runtime.Message);
    }

    [Fact]
    public void Unknown_format_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReportPublisher(ReportTemplates.Embedded).Exporter("pdf"));
        Assert.Equal("unknown report format 'pdf' (known: html, md, csv)", e.Message);
    }
}
