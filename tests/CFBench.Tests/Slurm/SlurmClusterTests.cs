using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CFBench.Core.Slurm;
using CFBench.Core.Tracking;
using Xunit.Abstractions;

namespace CFBench.Tests.Slurm;

/// <summary>
/// The quickstart suite as a 3-task Slurm job array on the real cluster of <c>tools/slurm-cluster.sh</c>: the merged
/// task stores equal a single-process run of the same suite (same run keys, test metrics, per-user values and
/// report), also when one task is cancelled mid-run and requeued. One task runs at a time (the node is shared).
/// </summary>
public class SlurmClusterTests(SingleProcessRuns reference, ITestOutputHelper output) : IClassFixture<SingleProcessRuns>
{
    /// <summary>Epochs of every run (--epochs): short, as the single-process run uses the same.</summary>
    private const int Epochs = 3;
    private const int Shards = 3;
    private static readonly TimeSpan ArrayLimit = TimeSpan.FromMinutes(12);

    [SlurmFact]
    public void AThreeShardArrayMergesToTheSingleProcessRun()
    {
        RequireCluster();
        var project = SingleProcessRuns.QuickstartProject();
        var job = Submit(project, Epochs);
        var final = WaitForArray(job, project);
        Assert.All(final, t => Assert.True(t.State == "COMPLETED", $"task {t.Id} ended {t.State}:\n{Logs(project)}"));

        var merged = Merge(project, job);
        AssertSameAsSingleProcess(merged, reference.Store(Epochs));
    }

    [SlurmFact]
    public void ACancelledAndRequeuedTaskResumesAndTheMergeStillEqualsTheSingleProcessRun()
    {
        RequireCluster();
        // Enough epochs that BPR-MF trains ~10 s after its first epoch, however fast this machine is: the task must be
        // cancelled mid-run, not after it finished (the single-process run uses the same count).
        var epochs = Math.Clamp((int)Math.Ceiling(10 / reference.BprEpochSeconds(Epochs)), Epochs, 100);
        var project = SingleProcessRuns.QuickstartProject();
        var job = Submit(project, epochs);
        var shards = Path.Combine(project, "runs", "shards");
        var bpr = SlurmJobRecord.Load(shards, job).Runs.Single(r => r.Label == "BPR-MF");
        var task = $"{job}_{bpr.Shard}";
        var store = SlurmArrayScript.StorePath(shards, job, bpr.Shard);

        WaitUntil(() => Run(store, bpr.Key) is { EpochsRun: >= 1 }, "BPR-MF's first epoch", project);
        SlurmCluster.Run("scancel", task);
        output.WriteLine($"scancel {task} after BPR-MF's epoch {Run(store, bpr.Key)!.EpochsRun} of {epochs}");
        WaitUntil(() => TaskStates(job).FirstOrDefault(t => t.Id == task)?.State == "CANCELLED", $"{task} cancelled", project);
        var cancelled = Run(store, bpr.Key)!;
        Assert.True(cancelled.Status != RunStatus.Finished, $"BPR-MF finished before scancel landed (epochs {cancelled.EpochsRun}/{epochs})");
        output.WriteLine($"after scancel: BPR-MF {cancelled.Status.ToString().ToLowerInvariant()} at epoch {cancelled.EpochsRun}, checkpoint epoch {cancelled.LastCheckpointEpoch}");

        SlurmCluster.Run("scontrol", "requeue", task);
        var final = WaitForArray(job, project);
        Assert.All(final, t => Assert.True(t.State == "COMPLETED", $"task {t.Id} ended {t.State}:\n{Logs(project)}"));
        var resumed = Run(store, bpr.Key)!;
        Assert.Equal(RunStatus.Finished, resumed.Status);
        Assert.Equal(2, resumed.Attempts);
        var log = File.ReadAllText(Path.Combine(shards, $"slurm-{job}_{bpr.Shard}.out"));
        Assert.Contains($"task {bpr.Shard} on", log);
        Assert.Contains("(restart 1)", log);
        output.WriteLine($"requeued: BPR-MF finished on attempt {resumed.Attempts}, epochs {resumed.EpochsRun}");

        var merged = Merge(project, job);
        AssertSameAsSingleProcess(merged, reference.Store(epochs));
    }

    private static void RequireCluster()
    {
        if (SlurmCluster.Unavailable is { } problem) Assert.Fail($"CI=true and Slurm is not running: {problem}");
    }

    private string Submit(string project, int epochs)
    {
        var (code, log) = CliProcess.Run(project, TimeSpan.FromMinutes(3),
            "slurm", "submit", "--suite", "quickstart", "--shards", Shards.ToString(), "--epochs", epochs.ToString(), "--max-running", "1");
        output.WriteLine($"$ cfbench slurm submit --suite quickstart --shards {Shards} --epochs {epochs} --max-running 1\n{log}");
        Assert.True(code == 0, log);
        return Regex.Match(log, @"submitted array job (\d+)").Groups[1].Value;
    }

    private sealed record TaskState(string Id, string State, string Line);

    private static IReadOnlyList<TaskState> TaskStates(string job) =>
        SlurmCluster.Run("squeue", "-h", "-r", "-t", "all", "-j", job, "-o", "%i %T %M %N")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ') is [var id, var state, ..] ? new TaskState(id, state, line) : throw new InvalidDataException(line))
            .ToList();

    private static readonly HashSet<string> Ended = new() { "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE" };

    /// <summary>Waits until every task has ended, logging the squeue lines whenever a task's state changes; returns the final states.</summary>
    private IReadOnlyList<TaskState> WaitForArray(string job, string project)
    {
        var shown = "";
        IReadOnlyList<TaskState> states = Array.Empty<TaskState>();
        WaitUntil(() =>
        {
            states = TaskStates(job);
            var key = string.Join(" ", states.Select(s => $"{s.Id}:{s.State}"));
            if (key != shown) output.WriteLine($"squeue -r -t all -j {job}:\n{string.Join("\n", states.Select(s => s.Line))}");
            shown = key;
            return states.Count == Shards && states.All(s => Ended.Contains(s.State));
        }, $"array job {job}", project);
        return states;
    }

    private void WaitUntil(Func<bool> done, string what, string project)
    {
        var deadline = DateTime.UtcNow + ArrayLimit;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {ArrayLimit} for {what}:\n{Logs(project)}");
            Thread.Sleep(250);
        }
    }

    private static string Logs(string project)
    {
        var shards = Path.Combine(project, "runs", "shards");
        return Directory.Exists(shards)
            ? string.Join("\n", Directory.EnumerateFiles(shards, "slurm-*.out").Order().Select(f => $"== {f}\n{File.ReadAllText(f)}"))
            : "(no task logs)";
    }

    private static RunRecord? Run(string store, string key)
    {
        if (!File.Exists(store)) return null;
        using var runs = RunStore.Open(store);
        return runs.FindByKey(key);
    }

    private string Merge(string project, string job)
    {
        var stores = Enumerable.Range(1, Shards).Select(i => SlurmArrayScript.StorePath(Path.Combine(project, "runs", "shards"), job, i)).ToArray();
        var merged = Path.Combine(project, "merged.db");
        var (code, log) = CliProcess.Run(project, TimeSpan.FromMinutes(2), new[] { "runs", "merge" }.Concat(stores).Concat(new[] { "--into", merged }).ToArray());
        output.WriteLine($"$ cfbench runs merge {string.Join(' ', stores.Select(Path.GetFileName))} --into merged.db\n{log}");
        Assert.True(code == 0, log);
        return merged;
    }

    /// <summary>Same run keys, test means and per-user values, and the same report (but for run ids).</summary>
    private void AssertSameAsSingleProcess(string merged, string single)
    {
        IReadOnlyList<RunRecord> Finished(string path)
        {
            using var store = RunStore.Open(path);
            return store.List(detail: RunDetail.All).Where(r => r.Status == RunStatus.Finished).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        }
        var a = Finished(merged);
        var b = Finished(single);
        Assert.Equal(b.Select(r => r.Key), a.Select(r => r.Key));
        Assert.Equal(3, a.Count);
        foreach (var (m, s) in a.Zip(b))
        {
            Assert.Equal(s.TestMetrics, m.TestMetrics);
            Assert.Equal(s.TestUsers, m.TestUsers);
            foreach (var (column, values) in s.TestPerUser!) Assert.Equal(values, m.TestPerUser![column]);
            output.WriteLine($"{m.Key} {m.Spec.Label,-8} merged {Metrics(m)} | single process {Metrics(s)}");
        }
        var (reportA, reportB) = (ReportCsv(merged), ReportCsv(single));
        Assert.Equal(reportB, reportA);
        output.WriteLine($"merged store equals the single-process store: {a.Count} run keys, test metrics and per-user values equal; report CSV equal ({reportA.Count} lines, run ids aside)");
    }

    private static string Metrics(RunRecord run) =>
        string.Join(" ", run.TestMetrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {m.Value:0.000000}"));

    /// <summary>The suite's report as CSV lines without the run_ids column (ids differ by design: merged runs get fresh ones).</summary>
    private static List<string> ReportCsv(string store)
    {
        var folder = RepoPaths.TempDirectory();
        var project = Path.GetDirectoryName(store)!;
        while (!File.Exists(Path.Combine(project, "bench.json"))) project = Path.GetDirectoryName(project)!;
        var (code, log) = CliProcess.Run(project, TimeSpan.FromMinutes(2),
            "report", "--suite", "quickstart", "--format", "csv", "--out", folder, "--db", store);
        Assert.True(code == 0, log);
        return File.ReadAllLines(Path.Combine(folder, "quickstart", "index.csv")).Select(l => l[..l.LastIndexOf(',')]).ToList();
    }
}

/// <summary>The quickstart suite run in one process (the reference the merged arrays must equal), once per epoch count.</summary>
public sealed class SingleProcessRuns
{
    private readonly Dictionary<int, string> _stores = new();

    /// <summary>The store of a single-process quickstart run with <paramref name="epochs"/> epochs.</summary>
    public string Store(int epochs)
    {
        lock (_stores)
        {
            if (_stores.TryGetValue(epochs, out var store)) return store;
            var project = QuickstartProject();
            var (code, log) = CliProcess.Run(project, TimeSpan.FromMinutes(10), "run", "--suite", "quickstart", "--epochs", epochs.ToString());
            Assert.True(code == 0, log);
            return _stores[epochs] = Path.Combine(project, "runs", "cfbench.db");
        }
    }

    /// <summary>BPR-MF's mean seconds per epoch in the single-process run with <paramref name="epochs"/> epochs.</summary>
    public double BprEpochSeconds(int epochs)
    {
        using var store = RunStore.Open(Store(epochs));
        var bpr = store.List(detail: RunDetail.History).Single(r => r.Spec.Model == "BPR-MF");
        return bpr.Epochs.Average(e => e.Seconds);
    }

    /// <summary>A project folder whose bench.json holds the repository's quickstart suite, with its own store and cache
    /// (checkpoints are per run key: a project of its own keeps one run's checkpoints from resuming another's).</summary>
    public static string QuickstartProject()
    {
        var repo = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "bench.json")))!;
        var config = new JsonObject
        {
            ["database"] = "runs/cfbench.db",
            ["cacheDir"] = ".cache",
            ["device"] = "cpu",
            ["protocols"] = repo["protocols"]!.DeepClone(),
            ["suites"] = new JsonObject { ["quickstart"] = repo["suites"]!["quickstart"]!.DeepClone() },
        };
        var project = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(project, "bench.json"), config.ToJsonString());
        return project;
    }
}
