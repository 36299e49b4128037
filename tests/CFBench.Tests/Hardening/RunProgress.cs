using CFBench.Core.Tracking;

namespace CFBench.Tests.Hardening;

/// <summary>Watches a `cfbench run` child process through its store, to strike it (kill, signal) mid-run.</summary>
internal static class RunProgress
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <summary>Waits until the store holds at least <paramref name="epochs"/> epochs; fails if the run ends first.</summary>
    public static void WaitForEpochs(CliProcess process, string database, int epochs)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (EpochsRecorded(database) < epochs)
        {
            if (process.HasExited && process.WaitForExit(TimeSpan.FromSeconds(5)))
                Assert.Fail($"the run ended (exit code {process.ExitCode}) before it could be struck:\n{process.Output}");
            Assert.True(DateTime.UtcNow < deadline, "no progress:\n" + process.Output);
            Thread.Sleep(100);
        }
    }

    /// <summary>The process ids of <paramref name="pid"/>'s children (from /proc).</summary>
    public static IReadOnlyList<int> Children(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Select(task => Path.Combine(task, "children"))
            .Where(File.Exists)
            .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .ToList();

    private static int EpochsRecorded(string database)
    {
        if (!File.Exists(database)) return 0;
        try
        {
            using var store = RunStore.Open(database);
            return store.List(null, RunDetail.History).Sum(r => r.Epochs.Count);
        }
        catch (RunStoreException)
        {
            return 0;
        }
    }
}
