using System.Diagnostics;
using CFBench.Core.Tracking;
using CFBench.Tests.Runs;
using Xunit.Abstractions;

namespace CFBench.Tests.Hardening;

/// <summary>
/// Signals to a running suite: SIGINT (Ctrl-C) and SIGTERM to the host stop the run gracefully across the worker
/// boundary (marked interrupted, `cancelled`, exit code 130) and a rerun resumes it; SIGKILL of the worker alone
/// fails only that run, and the rerun resumes it to the same numbers as an uninterrupted run.
/// </summary>
public class SignalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private const string BprMf = """{ "model": "BPR-MF", "params": { "lr": 0.01 } }""";
    // Enough epochs that the run is still going when the signal lands (an epoch takes ~0.1 s on a quiet machine).
    private const int Epochs = 12;
    private const int MostPopEpochs = 200;

    [Theory]
    [InlineData(PosixSignalNumber.SIGTERM)]
    [InlineData(PosixSignalNumber.SIGINT)]
    public void SignalToTheHostMarksTheRunInterruptedAndARerunResumesIt(PosixSignalNumber signal)
    {
        // MostPop's epochs take no time, so the run is still going when the signal lands, even on a loaded machine.
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }""", MostPopEpochs, evaluateEvery: 100);
        using (var process = CliProcess.Start(workspace.Directory, "run", "--suite", "t"))
        {
            RunProgress.WaitForEpochs(process, workspace.Database, 5);
            var sent = Stopwatch.StartNew();
            process.Signal(signal);
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"still running a minute after {signal}:\n{process.Output}");
            output.WriteLine($"{signal}: ended {sent.Elapsed.TotalSeconds:F1}s after the signal, exit code {process.ExitCode}");
            Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}:\n{process.Output}");
            Assert.Contains("cancelled", process.Output);
        }
        RunRecord interrupted;
        using (var store = RunStore.Open(workspace.Database))
            interrupted = Assert.Single(store.List(null, RunDetail.History));
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal("interrupted by the user", interrupted.Error); // recorded by the host, not guessed from a dead process
        Assert.InRange(interrupted.Epochs.Count, 5, MostPopEpochs - 1);

        var (code, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t");
        Assert.True(code == 0, log);
        using var after = RunStore.Open(workspace.Database);
        var resumed = Assert.Single(after.List(null, RunDetail.History));
        Assert.Equal(RunStatus.Finished, resumed.Status);
        Assert.Equal(interrupted.Id, resumed.Id);
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(Enumerable.Range(1, MostPopEpochs), resumed.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void KilledWorkerFailsItsRunAndARerunResumesToTheSameFinalMetrics()
    {
        var reference = new SuiteWorkspace(BprMf, Epochs, evaluateEvery: 4);
        var (referenceCode, referenceLog) = CliProcess.Run(reference.Directory, Limit, "run", "--suite", "t");
        Assert.True(referenceCode == 0, referenceLog);
        RunRecord uninterrupted;
        using (var store = RunStore.Open(reference.Database))
            uninterrupted = Assert.Single(store.List(null, RunDetail.History));

        var killed = new SuiteWorkspace(BprMf, Epochs, evaluateEvery: 4);
        using (var process = CliProcess.Start(killed.Directory, "run", "--suite", "t"))
        {
            RunProgress.WaitForEpochs(process, killed.Database, 2);
            var worker = Assert.Single(RunProgress.Children(process.Id));
            Process.GetProcessById(worker).Kill(); // SIGKILL to the worker alone
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), process.Output);
            Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}:\n{process.Output}");
        }
        using (var store = RunStore.Open(killed.Database))
        {
            var failed = Assert.Single(store.List(null, RunDetail.Summary));
            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Contains("the worker process was killed by signal 9 (SIGKILL", failed.Error);
        }

        var (code, log) = CliProcess.Run(killed.Directory, Limit, "run", "--suite", "t");
        Assert.True(code == 0, log);
        using var after = RunStore.Open(killed.Database);
        var resumed = Assert.Single(after.List(null, RunDetail.History));
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(uninterrupted.Epochs.Select(e => e.Loss), resumed.Epochs.Select(e => e.Loss));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(uninterrupted.TestMetrics, resumed.TestMetrics);
        output.WriteLine($"uninterrupted:        {string.Join("  ", uninterrupted.TestMetrics.Select(m => $"{m.Key}={m.Value:R}"))}");
        output.WriteLine($"worker killed+resumed: {string.Join("  ", resumed.TestMetrics.Select(m => $"{m.Key}={m.Value:R}"))}");
    }
}
