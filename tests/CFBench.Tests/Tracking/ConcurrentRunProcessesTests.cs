using System.Text;
using CFBench.Core.Tracking;

namespace CFBench.Tests.Tracking;

/// <summary>Two <c>cfbench run</c> processes writing different runs to one store at the same time lose nothing.</summary>
public class ConcurrentRunProcessesTests
{
    private const int Epochs = 6;

    [Fact]
    public void TwoRunProcessesShareOneStore()
    {
        var project = RepoPaths.TempDirectory();
        WriteProject(project);
        var db = Path.Combine(project, "runs", "cfbench.db");

        var first = StartRun(project, db, "1");
        var second = StartRun(project, db, "2");
        var (code1, out1) = Finish(first);
        var (code2, out2) = Finish(second);
        Assert.True(code1 == 0, out1);
        Assert.True(code2 == 0, out2);

        using (var store = RunStore.Open(db))
        {
            var runs = store.List(detail: RunDetail.All);
            Assert.Equal(new long[] { 1, 2 }, runs.Select(r => r.Spec.Seed).Order());
            Assert.All(runs, r =>
            {
                Assert.Equal(RunStatus.Finished, r.Status);
                Assert.Equal(Enumerable.Range(1, Epochs), r.Epochs.Select(e => e.Epoch));
                Assert.Equal(Epochs, r.Evaluations.Count(e => e.Target == "test"));
                Assert.True(r.TestMetrics.ContainsKey("recall@5"));
                Assert.NotNull(r.TestPerUser);
                Assert.NotNull(r.Provenance);
            });
            Assert.NotEqual(runs[0].ProcessId, runs[1].ProcessId);
        }

        var again = Finish(StartRun(project, db, "1,2")); // both finished: skipped, nothing added
        Assert.True(again.Code == 0, again.Output);
        Assert.Contains("skipped", again.Output);
        using (var store = RunStore.Open(db)) Assert.Equal(2, store.List().Count);
    }

    private static void WriteProject(string project)
    {
        File.WriteAllText(Path.Combine(project, "bench.json"), $$"""
            {
              "database": "runs/cfbench.db",
              "protocols": { "tiny-full": { "name": "full-ranking", "k": [5], "metrics": ["recall", "ndcg"], "selection": "test" } },
              "suites": {
                "two": {
                  "datasets": ["tiny"],
                  "protocol": "tiny-full",
                  "schedule": { "epochs": {{Epochs}}, "evaluateEvery": 1, "patience": 0, "metric": "recall@5" },
                  "models": [ { "model": "BPR-MF", "params": { "embedding_dim": 8, "batch_size": 64 } } ]
                }
              }
            }
            """);
        var data = Directory.CreateDirectory(Path.Combine(project, "datasets", "tiny")).FullName;
        File.WriteAllText(Path.Combine(data, "dataset.json"), """
            { "name": "tiny", "format": "lightgcn", "bundled": true, "files": [ { "name": "train.txt" }, { "name": "test.txt" } ] }
            """);
        var random = new Random(5);
        StringBuilder train = new(), test = new();
        for (int u = 0; u < 60; u++)
        {
            var items = Enumerable.Range(0, 40).OrderBy(_ => random.Next()).Take(8).ToList();
            train.AppendLine($"{u} {string.Join(' ', items.Take(6))}");
            test.AppendLine($"{u} {string.Join(' ', items.Skip(6))}");
        }
        File.WriteAllText(Path.Combine(data, "train.txt"), train.ToString());
        File.WriteAllText(Path.Combine(data, "test.txt"), test.ToString());
    }

    private static CliProcess StartRun(string project, string db, string seeds) =>
        CliProcess.Start(project, "run", "--suite", "two", "--seeds", seeds, "--device", "cpu",
            "--config", Path.Combine(project, "bench.json"), "--db", db);

    private static (int Code, string Output) Finish(CliProcess process)
    {
        using (process)
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
                throw new TimeoutException("cfbench run did not finish:\n" + process.Output);
            return (process.ExitCode, process.Output);
        }
    }
}
