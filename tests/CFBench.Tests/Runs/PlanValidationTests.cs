namespace CFBench.Tests.Runs;

/// <summary>Issue #14, validation before work: `cfbench run` checks the whole plan before loading data or training
/// and prints every problem, one line each, exit 2, with nothing recorded in the store.</summary>
public class PlanValidationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>A bench.json with one suite on the bundled gowalla-mini; <paramref name="suite"/> and
    /// <paramref name="protocol"/> replace parts of it.</summary>
    private static string Workspace(string models, string schedule = """{ "epochs": 1, "evaluateEvery": 1, "metric": "recall@20" }""",
        string metrics = """["recall", "ndcg"]""", string extra = "", string datasets = """["gowalla-mini"]""")
    {
        var directory = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(directory, "bench.json"), $$"""
            {
              "database": "runs.db",
              "cacheDir": "cache",
              "device": "cpu",
              "protocols": { "p": { "name": "full-ranking", "k": [20], "metrics": {{metrics}}, "selection": "validation" } },
              "suites": {
                "t": {
                  "datasets": {{datasets}},
                  "protocol": "p",
                  "schedule": {{schedule}},
                  "seeds": [1],
                  {{extra}}
                  "models": [ {{models}} ]
                }
              }
            }
            """);
        return directory;
    }

    private static string[] Refused(string directory, params string[] args)
    {
        var (code, output) = CliProcess.Run(directory, Limit, new[] { "run", "--suite", "t" }.Concat(args).ToArray());
        Assert.True(code == 2, $"exit {code}:\n{output}");
        Assert.False(File.Exists(Path.Combine(directory, "runs.db")), "the store was created:\n" + output);
        Assert.DoesNotContain("loading dataset", output);
        Assert.DoesNotContain("   at ", output);
        return output.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("error: ")).ToArray();
    }

    [Fact]
    public void EveryMistakeInBenchJsonIsReportedAtOnceBeforeAnyWork()
    {
        var directory = Workspace("""
            { "model": "NoSuchModel" },
            { "model": "LightGCN", "variants": ["K3", "K5"] },
            { "model": "BPR-MF", "params": { "lr": 0.01, "learning_rate": 0.1 } },
            { "model": "EASE", "params": { "lambda": -1 } },
            { "model": "MostPop", "schedule": { "evaluateEvery": 0 } }
            """,
            schedule: """{ "epochs": 2, "evaluateEvery": 1, "metric": "recall@50" }""",
            metrics: """["recall", "mrr"]""",
            extra: "\"baseline\": \"ItemKNN\",");
        var errors = Refused(directory);
        string One(string part) => Assert.Single(errors, e => e.Contains(part));
        Assert.Contains("$.protocols.p.metrics: unknown metric 'mrr' (known: recall, ndcg, precision, hr)", One("'mrr'"));
        Assert.Contains("$.suites.t.schedule.metric: 'recall@50' is not computed by protocol 'p'", One("recall@50"));
        Assert.Contains("$.suites.t.models[0].model:", One("NoSuchModel"));
        Assert.Contains("$.suites.t.models[1]: model 'LightGCN' has no variant 'K5'; its variants: K1, K2, K3, K4", One("'K5'"));
        Assert.Contains("$.suites.t.models[2]: model 'BPR-MF' has no parameter 'learning_rate'; its parameters: embedding_dim", One("learning_rate"));
        Assert.Contains("$.suites.t.models[3]: model 'EASE':", One("lambda"));
        Assert.Contains("$.suites.t.models[4].schedule.evaluateEvery: 0 must be at least 1", One("evaluateEvery"));
        Assert.Contains("$.suites.t.baseline: 'ItemKNN' is not one of the suite's models", One("ItemKNN"));
        Assert.Equal(8, errors.Length);
    }

    [Fact]
    public void CommandLineMistakesAreRefusedBeforeAnyWork()
    {
        var directory = Workspace("""{ "model": "MostPop" }, { "model": "LightGCN", "variants": ["K1", "K2"] }""");
        Assert.Equal("error: --epochs: 0 is not a positive number of epochs", Assert.Single(Refused(directory, "--epochs", "0")));
        var variant = Assert.Single(Refused(directory, "--model", "MostPop,LightGCN/K5"));
        Assert.StartsWith("error: --model: suite 't' runs no variant 'K5' of LightGCN; its variants: K1, K2 (the model offers: K1, K2, K3, K4", variant);
        Assert.Contains("--model: suite 't' has no model 'NCF'; its models: MostPop, LightGCN", Assert.Single(Refused(directory, "--model", "NCF")));
        Assert.Contains("--dataset: suite 't' has no dataset 'yelp2018'", Assert.Single(Refused(directory, "--dataset", "gowalla-mini,yelp2018")));
    }

    [Fact]
    public void JsonSyntaxErrorsGiveLineAndColumnAndUnknownKeysSayWhichAndWhere()
    {
        var directory = Workspace("""{ "model": "MostPop" }""");
        var path = Path.Combine(directory, "bench.json");
        var lines = File.ReadAllLines(path);
        int at = Array.FindIndex(lines, l => l.Contains("\"seeds\""));
        lines[at] = lines[at].Replace("\"seeds\"", ", \"seeds\"");
        File.WriteAllLines(path, lines);
        var (code, output) = CliProcess.Run(directory, Limit, "run", "--suite", "t");
        Assert.Equal(2, code);
        Assert.Contains($"{path}:{at + 1}:", output.ReplaceLineEndings(""));
        Assert.Contains("',' is an invalid start of a property name", output.ReplaceLineEndings(""));

        directory = Workspace("""{ "model": "MostPop" }""", schedule: """{ "epochs": 1, "evaluateEvry": 1 }""");
        (code, output) = CliProcess.Run(directory, Limit, "run", "--suite", "t");
        Assert.Equal(2, code);
        var text = output.ReplaceLineEndings("");
        Assert.Contains("unknown key 'evaluateEvry' in $.suites.t.schedule (known keys: epochs, evaluateEvery, patience, metric)", text);
        Assert.DoesNotContain("CFBench.Core", text);
    }

    [Fact]
    public void MissingDatasetsAreNamedAndSkipMissingRunsTheRest()
    {
        var data = RepoPaths.TempDirectory();
        var cards = Path.Combine(RepoPaths.TempDirectory(), "cards");
        Directory.CreateDirectory(Path.Combine(cards, "elsewhere"));
        File.WriteAllText(Path.Combine(cards, "elsewhere", "dataset.json"),
            """{ "name": "elsewhere", "format": "lightgcn", "files": [ { "name": "train.txt" }, { "name": "test.txt" } ], "obtain": "https://example.org" }""");
        var directory = Workspace("""{ "model": "MostPop" }""", datasets: """["gowalla-mini", "elsewhere"]""");

        var missing = Assert.Single(Refused(directory, "--datasets", cards, "--data", data));
        Assert.Equal($"error: dataset 'elsewhere': missing train.txt, test.txt under {Path.Combine(data, "elsewhere")}; get them from: " +
            "https://example.org (or give --skip-missing to run the suite's other datasets)", missing);
        var noRoot = Assert.Single(Refused(directory, "--datasets", cards, "--data", "/nonexistent"));
        Assert.Contains("dataset 'elsewhere': the data root /nonexistent does not exist", noRoot);

        var (code, output) = CliProcess.Run(directory, Limit, "run", "--suite", "t", "--datasets", cards, "--data", data, "--skip-missing");
        Assert.True(code == 0, output);
        Assert.Contains("skipped (--skip-missing): dataset 'elsewhere': missing", output.ReplaceLineEndings(""));
        Assert.Contains("gowalla-mini · MostPop", output);
        Assert.True(File.Exists(Path.Combine(directory, "runs.db")));
    }
}
