using CFBench.Core.Slurm;

namespace CFBench.Tests.Slurm;

/// <summary>The sbatch script of <c>cfbench slurm submit</c>, without a cluster.</summary>
public class SlurmArrayScriptTests
{
    private static SlurmArrayScript Script => new()
    {
        Suite = "lightgcn-ablations",
        Shards = 8,
        Cfbench = new[] { "/usr/bin/dotnet", "/opt/cf bench/cfbench.dll", "--config", "/home/lab/bench.json" },
        RunOptions = new[] { "--epochs", "20", "--model", "LightGCN/K3" },
        StoreDirectory = "/home/lab/runs/shards",
        WorkingDirectory = "/home/lab",
    };

    [Fact]
    public void OneArrayTaskPerShardEachRunningItsShardIntoItsOwnStore()
    {
        var text = Script.Render();
        var lines = text.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=1-8", lines);
        Assert.Contains("#SBATCH --requeue", lines);
        Assert.Contains("#SBATCH --open-mode=append", lines);
        Assert.Contains("#SBATCH --chdir=/home/lab", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#SBATCH --gpus-per-task") || l.StartsWith("#SBATCH --partition") || l.StartsWith("#SBATCH --time"));
        var exec = Assert.Single(lines, l => l.StartsWith("exec "));
        Assert.Equal(
            "exec /usr/bin/dotnet '/opt/cf bench/cfbench.dll' --config /home/lab/bench.json --db \"$stores/${SLURM_ARRAY_JOB_ID}-${SLURM_ARRAY_TASK_ID}.db\" " +
            "run --suite lightgcn-ablations --shard \"${SLURM_ARRAY_TASK_ID}/8\" --epochs 20 --model LightGCN/K3",
            exec);
        Assert.Contains("stores=/home/lab/runs/shards", lines);
    }

    [Fact]
    public void GpusPartitionTimeAndThrottleBecomeSbatchOptions()
    {
        var lines = (Script with { GpusPerTask = 2, Partition = "gpu", Time = "12:00:00", MaxRunning = 3 }).Render().Split('\n');
        Assert.Contains("#SBATCH --gpus-per-task=2", lines);
        Assert.Contains("#SBATCH --partition=gpu", lines);
        Assert.Contains("#SBATCH --time=12:00:00", lines);
        Assert.Contains("#SBATCH --array=1-8%3", lines);
    }

    [Theory]
    [InlineData("plain-word_1.0", "plain-word_1.0")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    public void WordsAreQuotedForBash(string word, string quoted) => Assert.Equal(quoted, SlurmArrayScript.Quote(word));

    [Fact]
    public void DryRunPrintsTheScriptAndSubmitsNothing()
    {
        var workspace = new Runs.SuiteWorkspace("""{ "model": "MostPop" }""", epochs: 1, evaluateEvery: 1, seeds: "[1, 2, 3]");
        var (code, output) = CliProcess.Run(workspace.Directory, TimeSpan.FromMinutes(2),
            "slurm", "submit", "--suite", "t", "--shards", "2", "--epochs", "1", "--gpus-per-task", "1", "--time", "1:00:00", "--dry-run");
        Assert.True(code == 0, output);
        Assert.Contains("#SBATCH --array=1-2", output);
        Assert.Contains("#SBATCH --gpus-per-task=1", output);
        Assert.Contains("#SBATCH --time=1:00:00", output);
        Assert.Contains("run --suite t --shard \"${SLURM_ARRAY_TASK_ID}/2\" --epochs 1", output);
        Assert.Contains($"--config {Path.Combine(workspace.Directory, "bench.json")}", output);
        Assert.Contains("dry run: 3 run(s) in 2 shard(s)", output);
        Assert.False(Directory.Exists(Path.Combine(workspace.Directory, "shards")), "a dry run writes nothing");
    }
}
