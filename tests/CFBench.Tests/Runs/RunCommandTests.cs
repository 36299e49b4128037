using CFBench.Core.Tracking;
using CFBench.Tests.Hardening;
using Xunit.Abstractions;

namespace CFBench.Tests.Runs;

/// <summary>`cfbench run` end to end, as a user runs it: child processes on the bundled dataset, a temporary store.</summary>
public class RunCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private const string BprMf = """{ "model": "BPR-MF", "params": { "lr": 0.01 } }""";

    private static IReadOnlyList<RunRecord> Finished(string database)
    {
        using var store = RunStore.Open(database);
        return store.List(null, RunDetail.History).Where(r => r.Status == RunStatus.Finished).ToList();
    }

    [Fact]
    public void RunsASuiteRecordsItAndSkipsItTheSecondTime()
    {
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }, { "model": "EASE", "params": { "lambda": 200 } }""", epochs: 1, evaluateEvery: 1);
        var (code, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t");
        Assert.True(code == 0, log);
        var runs = Finished(workspace.Database);
        Assert.Equal(new[] { "EASE", "MostPop" }, runs.Select(r => r.Spec.Model).OrderBy(m => m));
        Assert.All(runs, r => Assert.InRange(r.TestMetrics["recall@20"], 0.01, 1.0));
        Assert.All(runs, r => Assert.Equal(r.Spec.Key, r.Key));

        var (again, secondOutput) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t");
        Assert.Equal(0, again);
        Assert.Contains("skipped", secondOutput);
        Assert.Equal(2, Finished(workspace.Database).Count);
    }

    [Fact]
    public void SameSeedOnCpuGivesTheSameMetrics()
    {
        var first = new SuiteWorkspace(BprMf, epochs: 2, evaluateEvery: 1);
        var second = new SuiteWorkspace(BprMf, epochs: 2, evaluateEvery: 1);
        foreach (var w in new[] { first, second })
        {
            var (code, log) = CliProcess.Run(w.Directory, Limit, "run", "--suite", "t");
            Assert.True(code == 0, log);
        }
        var a = Assert.Single(Finished(first.Database));
        var b = Assert.Single(Finished(second.Database));
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a.Epochs.Select(e => e.Loss), b.Epochs.Select(e => e.Loss));
        Assert.Equal(a.TestMetrics, b.TestMetrics);
    }

    [Fact]
    public void KilledRunResumesToTheSameFinalMetrics()
    {
        // Long enough that the run cannot finish between two looks at the store (an epoch takes ~0.1 s here).
        const int epochs = 20;
        var reference = new SuiteWorkspace(BprMf, epochs, evaluateEvery: 2);
        var (code, log) = CliProcess.Run(reference.Directory, Limit, "run", "--suite", "t");
        Assert.True(code == 0, log);
        var uninterrupted = Assert.Single(Finished(reference.Database));

        var killed = new SuiteWorkspace(BprMf, epochs, evaluateEvery: 2);
        using (var process = CliProcess.Start(killed.Directory, "run", "--suite", "t"))
        {
            RunProgress.WaitForEpochs(process, killed.Database, 3);
            process.KillHard(); // kill -9: no handler runs, the store still says running
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        using (var store = RunStore.Open(killed.Database))
            Assert.Equal(RunStatus.Interrupted, Assert.Single(store.List(null, RunDetail.Summary)).Status);

        var (resumedCode, resumedOutput) = CliProcess.Run(killed.Directory, Limit, "run", "--suite", "t");
        Assert.True(resumedCode == 0, resumedOutput);
        var resumed = Assert.Single(Finished(killed.Database));
        Assert.Equal(uninterrupted.Key, resumed.Key);
        Assert.Equal(uninterrupted.Epochs.Select(e => e.Loss), resumed.Epochs.Select(e => e.Loss));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(uninterrupted.TestMetrics, resumed.TestMetrics);
        output.WriteLine($"attempts: {resumed.Attempts} (killed with SIGKILL once, then resumed)");
        output.WriteLine($"uninterrupted: {string.Join("  ", uninterrupted.TestMetrics.Select(m => $"{m.Key}={m.Value:R}"))}");
        output.WriteLine($"killed+resumed: {string.Join("  ", resumed.TestMetrics.Select(m => $"{m.Key}={m.Value:R}"))}");
    }

    [Fact]
    public void UnknownSuiteIsOneLine()
    {
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }""");
        var (code, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "nope");
        Assert.Equal(2, code);
        Assert.Contains("no suite 'nope'", log);
        Assert.DoesNotContain("   at ", log);
    }
}
