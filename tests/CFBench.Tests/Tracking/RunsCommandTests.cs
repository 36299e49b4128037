using System.Diagnostics;
using CFBench.Core.Tracking;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Tracking;

/// <summary><c>cfbench runs</c> end to end: the built CLI against a temporary store.</summary>
public class RunsCommandTests
{
    private static (string Db, long Finished, long Failed) Seeded()
    {
        var db = NewDatabase();
        using var store = RunStore.Open(db);
        var finished = RecordRun(store, Spec("LightGCN", 1));
        var failed = RecordRun(store, Spec("NGCF", 1, parameters: new Dictionary<string, object> { ["lr"] = 0.05 }), finish: false);
        store.Fail(failed, "diverged", interrupted: false);
        return (db, finished, failed);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.Cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException("cfbench " + string.Join(' ', args)); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void ListShowsRunsAndFiltersByStatus()
    {
        var (db, finished, failed) = Seeded();
        var all = Cli("runs", "list", "--db", db);
        Assert.Equal(0, all.Code);
        Assert.Contains("LightGCN/K3", all.Out);
        Assert.Contains("NGCF/K3", all.Out);
        Assert.Contains("0.1800", all.Out);

        var failedOnly = Cli("runs", "list", "--db", db, "--status", "failed");
        Assert.Equal(0, failedOnly.Code);
        Assert.Contains("NGCF/K3", failedOnly.Out);
        Assert.DoesNotContain("LightGCN/K3", failedOnly.Out);

        var bad = Cli("runs", "list", "--db", db, "--status", "done");
        Assert.Equal(2, bad.Code);
    }

    [Fact]
    public void ShowAndCompare()
    {
        var (db, finished, failed) = Seeded();
        var show = Cli("runs", "show", finished.ToString(), "--db", db);
        Assert.Equal(0, show.Code);
        Assert.Contains("Epochs", show.Out);
        Assert.Contains("recall@20", show.Out);
        Assert.Contains("0.3000", show.Out); // validation recall of epoch 3 in the epoch table
        Assert.Contains("pessimistic", show.Out);
        Assert.Contains("0123abcd (dirty)", show.Out);

        var compare = Cli("runs", "compare", finished.ToString(), failed.ToString(), "--db", db, "--diff");
        Assert.Equal(0, compare.Code);
        Assert.Contains("lr", compare.Out);
        Assert.Contains("0.05", compare.Out);
        Assert.DoesNotContain("fingerprint", compare.Out); // equal rows are left out with --diff

        var missing = Cli("runs", "show", "999", "--db", db);
        Assert.Equal(2, missing.Code);
        Assert.Contains("no run 999", missing.Out + missing.Err);
    }

    [Fact]
    public void ShowHasAColumnPerFigureTheModelReported()
    {
        var (db, finished, _) = Seeded();
        var show = Cli("runs", "show", finished.ToString(), "--db", db);
        Assert.Equal(0, show.Code);
        var header = show.Out.Split('\n').Single(l => l.Contains("Loss") && l.Contains("Peak MiB"));
        Assert.Contains("beta", header);
        Assert.Contains("negative_collisions", header);
        // Epoch 3's row: beta 0.15 and 30 collisions, beside its loss 0.33333.
        Assert.Contains(show.Out.Split('\n'), l => l.Contains("0.33333") && l.Contains("0.15") && l.Contains(" 30 "));
    }

    [Fact]
    public void AnInterruptedRunTookUntilItsLastRecord()
    {
        var db = NewDatabase();
        long id;
        using (var store = RunStore.Open(db)) id = RecordRun(store, Spec("LightGCN", 1), finish: false);
        // Killed ten minutes after it started: its process is gone and nothing recorded an end.
        var started = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        Execute(db, $"UPDATE runs SET process_started = '2001-01-01T00:00:00.000Z', started_at = '{started}' WHERE id = {id}");
        var show = Cli("runs", "show", id.ToString(), "--db", db);
        Assert.Equal(0, show.Code);
        Assert.Contains("interrupted", show.Out);
        Assert.Matches(@"took\s+(9m5\ds|10m0\ds) until its last record", show.Out);
    }

    [Fact]
    public void DeleteNeedsYesWithoutTerminal()
    {
        var (db, finished, _) = Seeded();
        var refused = Cli("runs", "delete", finished.ToString(), "--db", db);
        Assert.Equal(2, refused.Code);
        Assert.Contains("--yes", refused.Out + refused.Err);
        using (var store = RunStore.Open(db)) Assert.NotNull(store.Get(finished));

        var deleted = Cli("runs", "delete", finished.ToString(), "--yes", "--db", db);
        Assert.Equal(0, deleted.Code);
        using (var store = RunStore.Open(db)) Assert.Null(store.Get(finished));
    }

    [Fact]
    public void ExportsCsvToStandardOutputAndMlflowToFolder()
    {
        var (db, _, _) = Seeded();
        var csv = Cli("runs", "export", "--format", "csv", "--db", db, "--model", "LightGCN");
        Assert.Equal(0, csv.Code);
        var lines = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,key,suite", lines[0]);

        var root = Path.Combine(RepoPaths.TempDirectory(), "mlruns");
        var mlflow = Cli("runs", "export", "--format", "mlflow", "--out", root, "--db", db);
        Assert.Equal(0, mlflow.Code);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(root, "1")).Length);
    }

    [Fact]
    public void CorruptDatabaseIsOneLineWithoutStackTrace()
    {
        var db = NewDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        File.WriteAllText(db, new string('x', 5000));
        var result = Cli("runs", "list", "--db", db);
        Assert.Equal(2, result.Code);
        var output = (result.Out + result.Err).Trim();
        Assert.Contains("not a database", output);
        Assert.DoesNotContain(" at ", output);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show")]
    [InlineData("compare")]
    [InlineData("export")]
    [InlineData("delete")]
    public void EachSubcommandHasHelp(string sub)
    {
        var help = Cli("runs", sub, "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("Usage:", help.Out);
        Assert.Contains("--db", help.Out);
    }
}
