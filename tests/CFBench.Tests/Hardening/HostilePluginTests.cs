using CFBench.Core.Tracking;
using CFBench.Tests.Plugins;
using CFBench.Tests.Runs;
using Xunit.Abstractions;

namespace CFBench.Tests.Hardening;

/// <summary>
/// Plugins that attack the process they train in (tests/fixtures/HostilePlugin), each in a suite before a normal
/// model: every run plays in a worker process, so the attack fails only its own run, recorded failed with its cause
/// in one line, and the suite goes on to finish MostPop.
/// </summary>
public class HostilePluginTests(FixturePlugins fixture, ITestOutputHelper output) : IClassFixture<FixturePlugins>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData("Hostile-Exit", "the worker process exited with code 42 before the run ended")]
    [InlineData("Hostile-ThreadThrow", "InvalidOperationException: fixture: thrown on a thread of its own (thrown on a background thread)")]
    [InlineData("Hostile-OutOfMemory", "OutOfMemoryException: fixture: out of memory")]
    [InlineData("Hostile-NativeCrash", "the worker process was killed by signal 11 (SIGSEGV) before the run ended")]
    [InlineData("Hostile-StaticConstructor", "InvalidOperationException: fixture: the static constructor fails")]
    public void AttackFailsOnlyItsOwnRunAndTheSuiteGoesOn(string model, string cause)
    {
        var (code, log, runs) = RunSuite(model);
        Assert.True(code == 1, $"exit code {code} (1: a run failed):\n{log}");

        var attacked = Assert.Single(runs, r => r.Spec.Model == model);
        Assert.Equal(RunStatus.Failed, attacked.Status);
        Assert.Contains(cause, attacked.Error);
        Assert.Contains("(plugin HostilePlugin.dll)", attacked.Error);
        Assert.DoesNotContain('\n', attacked.Error!);
        Assert.Contains("failed:", log);
        Assert.Contains(cause, log.Replace("\n", " "));

        var normal = Assert.Single(runs, r => r.Spec.Model == "MostPop");
        Assert.Equal(RunStatus.Finished, normal.Status);
        Assert.InRange(normal.TestMetrics["recall@20"], 0.01, 1.0);
    }

    [Fact]
    public void EscapeSequencesFromAPluginNeverReachTheTerminal()
    {
        var (code, log, runs) = RunSuite("Hostile-Escapes");
        Assert.True(code == 1, log);
        // What the plugin printed is shown, made printable: its log, its standard output and error, its error message.
        Assert.Contains(@"\u001b[2J\u001b[31mfixture: log line\u001b[0m", log);
        Assert.Contains(@"\u001b]0;fixture title\u0007fixture: standard output", log);
        Assert.Contains(@"\u001b[1;31mfixture: standard error\u001b[0m", log);
        Assert.DoesNotContain('\u001b', log);
        Assert.DoesNotContain('\u0007', log);
        var attacked = Assert.Single(runs, r => r.Spec.Model == "Hostile-Escapes");
        Assert.Contains(@"InvalidOperationException: \u001b[2Kfixture: escape in an error", attacked.Error);
        Assert.Equal(RunStatus.Finished, Assert.Single(runs, r => r.Spec.Model == "MostPop").Status);
    }

    [Fact]
    public void ALibTorchErrorAfterACheckpointResumesInANewWorkerAndTheRunFinishes()
    {
        var marker = Path.Combine(RepoPaths.TempDirectory(), "failed-once");
        var workspace = new SuiteWorkspace("""{ "model": "Hostile-FlakyNative" }""", epochs: 3, evaluateEvery: 1);
        var (code, log) = CliProcess.Run(new[] { "env", $"CFBENCH_FIXTURE_MARKER={marker}" }, workspace.Directory, Limit,
            "run", "--suite", "t", "--plugins", fixture.Plugins);
        output.WriteLine(log);
        Assert.True(code == 0, log);
        Assert.True(File.Exists(marker), "the fixture never failed");
        var flat = log.Replace("\n", " ");
        Assert.Contains("attempt 1 failed: Hostile-FlakyNative (plugin HostilePlugin.dll): ExternalException: shape '[3]' is invalid", flat);
        Assert.Contains("resuming from the checkpoint of epoch 1 in a new process", flat);

        using var store = RunStore.Open(workspace.Database);
        var run = Assert.Single(store.List(null, RunDetail.History));
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(new[] { 1, 2, 3 }, run.Epochs.Select(e => e.Epoch));
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, run.Epochs.Select(e => e.Loss));
    }

    private (int Code, string Log, IReadOnlyList<RunRecord> Runs) RunSuite(string hostileModel)
    {
        var workspace = new SuiteWorkspace($$"""{ "model": "{{hostileModel}}" }, { "model": "MostPop" }""", epochs: 1, evaluateEvery: 1);
        var (code, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t", "--plugins", fixture.Plugins);
        output.WriteLine(log);
        using var store = RunStore.Open(workspace.Database);
        return (code, log, store.List(null, RunDetail.Summary));
    }
}
