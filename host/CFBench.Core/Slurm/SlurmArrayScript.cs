using System.Text;
using System.Text.RegularExpressions;

namespace CFBench.Core.Slurm;

/// <summary>
/// The sbatch script of a sharded suite: a job array with one task per shard, each running
/// <c>cfbench run --suite S --shard i/n</c> into its own store <c>STORES/&lt;job&gt;-&lt;i&gt;.db</c> (SQLite over a
/// network file system is unsafe with writers on several nodes). <c>--requeue</c> lets Slurm requeue a preempted
/// or failed node's task; the task then resumes its runs from their checkpoints, appending to the same log.
/// </summary>
public sealed partial record SlurmArrayScript
{
    public required string Suite { get; init; }
    public required int Shards { get; init; }
    /// <summary>How to start cfbench and its global options (--config, --data, --plugins), each word as is.</summary>
    public required IReadOnlyList<string> Cfbench { get; init; }
    /// <summary>Options after <c>run --suite S --shard i/n</c> (--dataset, --model, --seeds, --epochs, --device).</summary>
    public IReadOnlyList<string> RunOptions { get; init; } = Array.Empty<string>();
    /// <summary>Where the tasks' stores and logs go.</summary>
    public required string StoreDirectory { get; init; }
    public required string WorkingDirectory { get; init; }
    public int? GpusPerTask { get; init; }
    public string? Partition { get; init; }
    public string? Time { get; init; }
    /// <summary>At most this many tasks at once (the array's <c>%k</c> throttle).</summary>
    public int? MaxRunning { get; init; }

    /// <summary>The store a task writes: its array job id and task id (= shard), as the script names it.</summary>
    public static string StorePath(string storeDirectory, string job, int shard) => Path.Combine(storeDirectory, $"{job}-{shard}.db");

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine($"#SBATCH --job-name={Quote($"cfbench-{Suite}")}");
        text.AppendLine($"#SBATCH --array=1-{Shards}{(MaxRunning is { } k ? $"%{k}" : "")}");
        text.AppendLine("#SBATCH --ntasks=1");
        if (GpusPerTask is { } g) text.AppendLine($"#SBATCH --gpus-per-task={g}");
        if (Partition is { } p) text.AppendLine($"#SBATCH --partition={Quote(p)}");
        if (Time is { } t) text.AppendLine($"#SBATCH --time={Quote(t)}");
        text.AppendLine("#SBATCH --requeue");
        text.AppendLine("#SBATCH --open-mode=append");
        text.AppendLine($"#SBATCH --chdir={Quote(WorkingDirectory)}");
        text.AppendLine($"#SBATCH --output={Quote(Path.Combine(StoreDirectory, "slurm-%A_%a.out"))}");
        text.AppendLine($"# cfbench suite '{Suite}' in {Shards} shard(s): array task i runs shard i/{Shards} into its own store,");
        text.AppendLine("# merged afterwards with `cfbench runs merge`. A requeued task resumes its runs from their checkpoints.");
        text.AppendLine("set -euo pipefail");
        text.AppendLine($"stores={Quote(StoreDirectory)}");
        text.AppendLine("echo \"cfbench: array job ${SLURM_ARRAY_JOB_ID} task ${SLURM_ARRAY_TASK_ID} on $(hostname) (restart ${SLURM_RESTART_COUNT:-0})\"");
        var words = Cfbench.Select(Quote)
            .Append("--db").Append("\"$stores/${SLURM_ARRAY_JOB_ID}-${SLURM_ARRAY_TASK_ID}.db\"")
            .Append("run").Append("--suite").Append(Quote(Suite))
            .Append("--shard").Append($"\"${{SLURM_ARRAY_TASK_ID}}/{Shards}\"")
            .Concat(RunOptions.Select(Quote));
        text.AppendLine("exec " + string.Join(" ", words));
        return text.ToString();
    }

    /// <summary>A word for bash: as is when it has no special characters, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex PlainWord();
}
