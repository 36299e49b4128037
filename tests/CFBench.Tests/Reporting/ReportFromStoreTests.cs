using System.Diagnostics;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using CFBench.Core.Tracking;

namespace CFBench.Tests.Reporting;

/// <summary>The report read back from a real SQLite run store, in-process and through <c>cfbench report</c>.</summary>
public class ReportFromStoreTests
{
    private static string WriteFixtureStore(string dir)
    {
        var db = Path.Combine(dir, "runs", "cfbench.db");
        using var store = RunStore.Open(db);
        foreach (var run in ReportFixture.Runs()) run.WriteTo(store);
        return db;
    }

    [Fact]
    public void Report_rendered_from_the_store_matches_the_records_written()
    {
        var dir = RepoPaths.TempDirectory();
        var db = WriteFixtureStore(dir);
        using var store = RunStore.Open(db);
        var records = store.List(new RunFilter { Suite = ReportFixture.SuiteName }, RunDetail.All);
        Assert.Equal(ReportFixture.Runs().Count, records.Count);
        Assert.All(records.Where(r => r.Status == RunStatus.Finished), r => Assert.Equal(ReportFixture.Users, r.TestUsers!.Length));

        var (html, read, refs, board) = LeaderboardHtmlTests.Render(records);
        LeaderboardHtmlTests.AssertTableMatchesRecords(html, read, refs);
        Assert.Equal(4, board.Datasets[0].Comparisons);
        Assert.Equal(1, board.RunsSuperseded);
        // The fixture's numbers survived the round trip: the store's means equal the generated ones.
        var generated = ReportFixture.Records().Where(r => r.Status == RunStatus.Finished).Select(r => r.TestMetrics["recall@20"]).Order();
        Assert.Equal(generated, records.Where(r => r.Status == RunStatus.Finished).Select(r => r.TestMetrics["recall@20"]).Order());
    }

    private const string BenchJson = """
        {
          "database": "runs/cfbench.db",
          "protocols": { "fr": { "name": "full-ranking", "k": [20], "metrics": ["recall", "ndcg"] } },
          "suites": {
            "demo": {
              "description": "report CLI test",
              "datasets": ["toy-a", "toy-b"],
              "protocol": "fr",
              "seeds": [1, 2, 3],
              "baseline": "MF",
              "models": [ { "model": "MF" }, { "model": "LightGCN", "variants": ["K3"] }, { "model": "NGCF" } ]
            },
            "empty": { "datasets": ["toy-a"], "protocol": "fr", "models": [ { "model": "MF" } ] }
          }
        }
        """;

    private static (int Code, string Output) Cli(string workDir, params string[] args) =>
        CliProcess.Run(workDir, TimeSpan.FromMinutes(2), args);

    [Fact]
    public void Cfbench_report_writes_the_suite_report_and_the_site_index()
    {
        var dir = RepoPaths.TempDirectory();
        WriteFixtureStore(dir);
        var config = Path.Combine(dir, "bench.json");
        File.WriteAllText(config, BenchJson);

        var (code, output) = Cli(dir, "report", "--suite", "demo", "--config", config);
        Assert.True(code == 0, output);
        // Spectre wraps long lines at the console width; the liveness check reads the unfinished run as running
        // (this test process is alive) or interrupted.
        var flat = Regex.Replace(output, @"\s+", " ");
        Assert.Matches(@"10 finished run\(s\) used, 2 skipped \((1 running, 1 failed|1 failed, 1 interrupted)\), 1 superseded", flat);
        foreach (var f in new[] { "index.html", "index.md", "index.csv" })
            Assert.True(File.Exists(Path.Combine(dir, "reports", "demo", f)), f);
        var page = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(dir, "reports", "demo", "index.html")));
        Assert.Equal(2, page.QuerySelectorAll("table.leaderboard").Length);
        var index = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(dir, "reports", "index.html")));
        Assert.Equal(new[] { "demo" }, index.QuerySelectorAll("table.suites a").Select(a => a.TextContent));

        // --out and --format: only Markdown, elsewhere.
        var (code2, output2) = Cli(dir, "report", "--suite", "demo", "--config", config, "--out", "elsewhere", "--format", "md");
        Assert.True(code2 == 0, output2);
        Assert.True(File.Exists(Path.Combine(dir, "elsewhere", "demo", "index.md")));
        Assert.False(File.Exists(Path.Combine(dir, "elsewhere", "demo", "index.html")));
    }

    /// <summary>One error message (Spectre may wrap it at the console width), no stack trace.</summary>
    private static void AssertOneError(string output, string expected)
    {
        Assert.Single(output.Split('\n'), l => l.StartsWith("error:"));
        Assert.DoesNotContain("   at ", output);
        Assert.Contains(expected, Regex.Replace(output, @"\s*\n\s*", " "));
    }

    [Fact]
    public void Cfbench_report_errors_are_one_line()
    {
        var dir = RepoPaths.TempDirectory();
        var config = Path.Combine(dir, "bench.json");
        File.WriteAllText(config, BenchJson);

        var (noStore, output) = Cli(dir, "report", "--suite", "demo", "--config", config);
        Assert.Equal(2, noStore);
        AssertOneError(output, "no run store at");

        var (unknown, output2) = Cli(dir, "report", "--suite", "nope", "--config", config);
        Assert.Equal(2, unknown);
        AssertOneError(output2, "no suite 'nope'");

        var (badTemplate, output3) = Cli(dir, "report", "--suite", "demo", "--config", config, "--template", "missing-dir");
        Assert.Equal(2, badTemplate);
        AssertOneError(output3, "--template: folder");
        Assert.False(Directory.Exists(Path.Combine(dir, "reports")));
    }
}
