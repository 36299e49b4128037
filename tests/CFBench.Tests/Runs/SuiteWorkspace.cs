namespace CFBench.Tests.Runs;

/// <summary>A temporary folder with a bench.json declaring a small suite on the bundled gowalla-mini dataset.</summary>
public sealed class SuiteWorkspace
{
    public SuiteWorkspace(string models, int epochs = 4, int evaluateEvery = 2, string seeds = "[1]")
    {
        Directory = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(Directory, "bench.json"), $$"""
            {
              "database": "runs.db",
              "cacheDir": "cache",
              "device": "cpu",
              "protocols": {
                "p": { "name": "full-ranking", "k": [20], "metrics": ["recall", "ndcg"], "selection": "validation" }
              },
              "suites": {
                "t": {
                  "datasets": ["gowalla-mini"],
                  "protocol": "p",
                  "schedule": { "epochs": {{epochs}}, "evaluateEvery": {{evaluateEvery}}, "metric": "recall@20" },
                  "seeds": {{seeds}},
                  "models": [ {{models}} ]
                }
              }
            }
            """);
    }

    public string Directory { get; }
    public string Database => Path.Combine(Directory, "runs.db");
}
