using CFBench.Core.Tracking;
using CFBench.Tests.Datasets;
using Xunit.Abstractions;

namespace CFBench.Tests.Runs;

/// <summary>Strong generalization scores users the model never trained on: only inductive models may run under it,
/// and a transductive one is refused before any data is loaded or any run recorded.</summary>
public class HeldOutUsersTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static string Workspace(string models)
    {
        var directory = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(directory, "bench.json"), $$"""
            {
              "dataRoot": "{{RepoPaths.SharedDatasets}}",
              "database": "runs.db",
              "cacheDir": "cache",
              "device": "cpu",
              "protocols": {
                "sg": { "name": "strong-generalization", "k": [20, 100], "metrics": ["recall", "ndcg"], "selection": "validation" }
              },
              "suites": {
                "held-out": {
                  "datasets": ["ml-100k"],
                  "protocol": "sg",
                  "schedule": { "epochs": 1, "evaluateEvery": 1, "metric": "ndcg@100" },
                  "seeds": [1],
                  "models": [ {{models}} ]
                }
              }
            }
            """);
        return directory;
    }

    [SharedDataFact("ml-100k")]
    public void TransductiveModelIsRefusedInOneLineBeforeAnyWork()
    {
        var directory = Workspace("""{ "model": "EASE" }, { "model": "BPR-MF" }""");
        var (code, log) = CliProcess.Run(directory, Limit, "run", "--suite", "held-out");
        output.WriteLine(log);
        Assert.Equal(2, code);
        var error = Assert.Single(log.Split('\n'), l => l.StartsWith("error:"));
        Assert.EndsWith("$.suites.held-out.models[1].model: BPR-MF is not inductive, so it cannot score the held-out users of protocol 'sg' (strong-generalization)", error.TrimEnd());
        Assert.DoesNotContain("loading dataset", log);
        Assert.False(File.Exists(Path.Combine(directory, "runs.db")), "nothing may be recorded");
    }

    [SharedDataFact("ml-100k")]
    public void InductiveModelStillRunsUnderStrongGeneralization()
    {
        var directory = Workspace("""{ "model": "EASE" }""");
        var (code, log) = CliProcess.Run(directory, Limit, "run", "--suite", "held-out");
        output.WriteLine(log);
        Assert.True(code == 0, log);
        using var store = RunStore.Open(Path.Combine(directory, "runs.db"));
        var run = Assert.Single(store.List(null, RunDetail.History));
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.InRange(run.TestMetrics["ndcg@100"], 0.05, 1.0);
    }
}
