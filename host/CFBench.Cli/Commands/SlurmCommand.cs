using System.CommandLine;
using System.Globalization;
using CFBench.Core.Runs;
using CFBench.Core.Slurm;
using CFBench.Core.Tracking;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary>
/// <c>cfbench slurm submit|status</c>: a suite as a Slurm job array, one task per shard, each task writing its own store
/// beside the run store (<c>runs/shards/&lt;job&gt;-&lt;i&gt;.db</c>), merged afterwards with <c>cfbench runs merge</c>.
/// </summary>
public static class SlurmCommand
{
    public static Command Create(CommandHost host)
    {
        var command = new Command("slurm", "Run a suite on a Slurm cluster as a job array (one task per shard) and follow it");
        command.Subcommands.Add(Submit(host));
        command.Subcommands.Add(Status(host));
        return command;
    }

    /// <summary>Where the array's task stores, logs, scripts and job records go: <c>shards/</c> beside the run store.</summary>
    private static string StoreDirectory(CliContext context) => Path.Combine(Path.GetDirectoryName(context.DatabasePath)!, "shards");

    private static Command Submit(CommandHost host)
    {
        var suite = new Option<string>("--suite") { Description = "Suite of bench.json to run (see `cfbench suites`)", Required = true };
        var shards = new Option<int>("--shards") { Description = "Number of shards = array tasks; task i runs `cfbench run --shard i/n`", Required = true };
        var gpus = new Option<int?>("--gpus-per-task") { Description = "GPUs for each task (sbatch --gpus-per-task); the runs then use CUDA unless --device says otherwise" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (sbatch --partition)" };
        var time = new Option<string?>("--time") { Description = "Time limit of each task, e.g. 12:00:00 (sbatch --time)" };
        var maxRunning = new Option<int?>("--max-running") { Description = "At most this many tasks at once (the array's %k throttle)" };
        var device = new Option<string?>("--device") { Description = "Device of the runs: auto, cpu, cuda or cuda:N (default: bench.json device)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the sbatch script and the shards' runs; submit nothing" };
        var filters = SuiteFilterOptions.Create();
        var command = new Command("submit",
            "Write an sbatch job-array script for a suite (one task per shard, each running `cfbench run --suite S --shard i/n` into its own " +
            "store; --requeue, so a preempted task resumes from its checkpoints) and submit it with sbatch.")
        {
            suite, shards, gpus, partition, time, maxRunning, device, dryRun,
        };
        foreach (var option in filters.All) command.Options.Add(option);
        host.SetAction(command, (result, context, cancel) =>
        {
            var count = result.GetValue(shards);
            if (count < 1) throw new ArgumentException($"--shards: {count} is not a positive number of shards");
            if (result.GetValue(gpus) is < 1) throw new ArgumentException("--gpus-per-task: must be at least 1");
            if (result.GetValue(maxRunning) is < 1) throw new ArgumentException("--max-running: must be at least 1");
            var suiteName = result.GetValue(suite)!;
            var runs = PlanCommand.Plan(context, suiteName, filters, result);
            var assigned = ShardAssignment.Assign(runs, count);
            var stores = StoreDirectory(context);

            var runOptions = filters.Words(result).ToList();
            if (result.GetValue(device) is { } d) runOptions.AddRange(new[] { "--device", d });
            var script = new SlurmArrayScript
            {
                Suite = suiteName,
                Shards = count,
                Cfbench = CfbenchCommand(context),
                RunOptions = runOptions,
                StoreDirectory = stores,
                WorkingDirectory = Environment.CurrentDirectory,
                GpusPerTask = result.GetValue(gpus),
                Partition = result.GetValue(partition),
                Time = result.GetValue(time),
                MaxRunning = result.GetValue(maxRunning),
            }.Render();

            var console = context.Console;
            var perShard = string.Join(", ", Enumerable.Range(1, count).Select(s => $"{s}: {assigned.Count(a => a.Shard == s)}"));
            if (result.GetValue(dryRun))
            {
                Console.Out.Write(script);
                Console.Out.Flush();
                console.MarkupLineInterpolated($"[grey]dry run: {runs.Count} run(s) in {count} shard(s) (runs per shard {perShard}); nothing submitted[/]");
                return 0;
            }

            Directory.CreateDirectory(stores);
            var scriptPath = Path.Combine(stores, $"{suiteName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.sbatch");
            File.WriteAllText(scriptPath, script);
            var (code, output, error) = SlurmTool.Run("sbatch", "--parsable", scriptPath);
            if (code != 0)
                throw new UserException($"sbatch {scriptPath} failed (exit code {code}): {Core.ErrorText.FirstLine(error.Trim() is { Length: > 0 } e ? e : output.Trim())}");
            var job = output.Trim().Split(';')[0];
            new SlurmJobRecord(job, suiteName, count, scriptPath, DateTimeOffset.UtcNow,
                assigned.Select(a => new SlurmJobRun(a.Shard, a.Run.Spec.Key, a.Run.Spec.Dataset, a.Run.Spec.Label, a.Run.Spec.Seed)).ToList())
                .Save(stores);
            console.MarkupLineInterpolated($"submitted array job [bold]{job}[/]: {count} task(s), {runs.Count} run(s) (runs per shard {perShard})");
            console.MarkupLineInterpolated($"  script {scriptPath}");
            console.MarkupLineInterpolated($"  task stores {SlurmArrayScript.StorePath(stores, job, 1)} ... {SlurmArrayScript.StorePath(stores, job, count)}");
            console.MarkupLineInterpolated($"  follow: cfbench slurm status --job {job}");
            console.MarkupLineInterpolated($"  when done: cfbench runs merge {Path.Combine(stores, job)}-*.db --into {context.DatabasePath}");
            return 0;
        });
        return command;
    }

    /// <summary>How a task starts this very cfbench, with the global options that decide its plan (bench.json, data, plugins).</summary>
    private static List<string> CfbenchCommand(CliContext context)
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var words = Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new List<string> { process, Path.Combine(AppContext.BaseDirectory, "cfbench.dll") }
            : new List<string> { process };
        words.AddRange(new[] { "--config", context.ConfigPath() });
        if (context.Globals.DataRoot is not null && context.DataRoot is { } data) words.AddRange(new[] { "--data", data });
        foreach (var plugins in context.Globals.PluginDirectories) words.AddRange(new[] { "--plugins", Path.GetFullPath(plugins) });
        return words;
    }

    private static Command Status(CommandHost host)
    {
        var job = new Option<string?>("--job") { Description = "Array job id (default: the newest job submitted from this project)" };
        var command = new Command("status", "Show a submitted array's tasks (squeue, sacct) beside the state of each task's runs in its store") { job };
        host.SetAction(command, (result, context, cancel) =>
        {
            var stores = StoreDirectory(context);
            var record = SlurmJobRecord.Load(stores, result.GetValue(job));
            var console = context.Console;
            var tasks = TaskStates(record.Job, console);

            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"array job {record.Job}: suite {record.Suite}, {record.Shards} task(s), submitted {record.SubmittedAt.ToLocalTime():yyyy-MM-dd HH:mm}"));
            table.AddColumns("task", "slurm", "time", "node", "dataset", "model", "seed", "key", "run", "epochs", "attempts", "test");
            var counts = new Dictionary<string, int>();
            for (int shard = 1; shard <= record.Shards; shard++)
            {
                var task = tasks.GetValueOrDefault($"{record.Job}_{shard}");
                var taskCells = new[]
                {
                    $"{record.Job}_{shard}", Markup.Escape(task?.State ?? "not in squeue/sacct"), Markup.Escape(task?.Time ?? ""), Markup.Escape(task?.Node ?? ""),
                };
                var path = SlurmArrayScript.StorePath(stores, record.Job, shard);
                using var store = File.Exists(path) ? RunStore.Open(path) : null;
                var runs = record.Runs.Where(r => r.Shard == shard).ToList();
                if (runs.Count == 0) table.AddRow(taskCells.Concat(new[] { "", "[grey](no runs in this shard)[/]", "", "", "", "", "", "" }).ToArray());
                foreach (var run in runs)
                {
                    var stored = store?.FindByKey(run.Key);
                    var state = stored?.Status.ToString().ToLowerInvariant() ?? "not started";
                    counts[state] = counts.GetValueOrDefault(state) + 1;
                    var metric = stored?.Spec.Schedule.SelectionMetric;
                    var test = metric is not null && stored!.TestMetrics.TryGetValue(metric, out var value) ? $"{metric} {value:0.0000}" : "";
                    table.AddRow(taskCells.Concat(new[]
                    {
                        Markup.Escape(run.Dataset), Markup.Escape(run.Label), run.Seed.ToString(CultureInfo.InvariantCulture), run.Key, state,
                        stored?.EpochsRun.ToString(CultureInfo.InvariantCulture) ?? "", stored?.Attempts.ToString(CultureInfo.InvariantCulture) ?? "", Markup.Escape(test),
                    }).ToArray());
                    taskCells = new[] { "", "", "", "" };
                }
            }
            console.Write(table);
            console.MarkupLineInterpolated($"runs: {string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"))}; task stores in {stores}");
            return 0;
        });
        return command;
    }

    private sealed record TaskState(string State, string Time, string Node);

    /// <summary>Each array task's state by id (<c>job_i</c>): sacct where accounting is on, squeue for tasks the controller
    /// still holds (it wins: it is current). Each command's raw lines are shown as they are.</summary>
    private static Dictionary<string, TaskState> TaskStates(string job, IAnsiConsole console)
    {
        var states = new Dictionary<string, TaskState>();
        var sacct = SlurmTool.Run("sacct", "-n", "-P", "-X", "-j", job, "--format=JobID,State,Elapsed,NodeList");
        if (sacct.ExitCode == 0) Read(sacct.Output, "sacct");
        else console.MarkupLineInterpolated($"[grey]sacct: {Core.ErrorText.FirstLine(sacct.Error.Trim())}[/]");
        var squeue = SlurmTool.Run("squeue", "-h", "-r", "-t", "all", "-j", job, "-o", "%i|%T|%M|%N");
        if (squeue.ExitCode == 0) Read(squeue.Output, "squeue");
        else console.MarkupLineInterpolated($"[grey]squeue: {Core.ErrorText.FirstLine(squeue.Error.Trim())}[/]");
        return states;

        void Read(string output, string tool)
        {
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                console.MarkupLineInterpolated($"[grey]{tool}: {line}[/]");
                if (line.Split('|') is [var id, var state, var elapsed, var node, ..])
                    states[id] = new TaskState(state, elapsed, node);
            }
        }
    }
}
