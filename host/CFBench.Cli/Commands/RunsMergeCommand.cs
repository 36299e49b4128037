using System.CommandLine;
using CFBench.Core.Tracking;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench runs merge A.db B.db ... --into main.db</c>: merges run stores (a Slurm array's task stores) by run key.</summary>
public static class RunsMergeCommand
{
    public static Command Create(CommandHost host)
    {
        var sources = new Argument<string[]>("stores") { Description = "Run stores to merge, e.g. runs/shards/1234-*.db", Arity = ArgumentArity.OneOrMore };
        var into = new Option<string?>("--into") { Description = "Store to merge into, created when missing (default: the run store: --db, else bench.json's database)" };
        var command = new Command("merge",
            "Merge run stores into one by run key. A run the target lacks is copied with a fresh id (provenance, epochs, results, per-user " +
            "values kept); a finished run replaces an unfinished one; two finished runs with different results are a conflict, reported and " +
            "left as they are (exit code 1). Merging the same store twice changes nothing.")
        {
            sources, into,
        };
        host.SetAction(command, (result, context, cancel) =>
        {
            var paths = (result.GetValue(sources) ?? Array.Empty<string>()).Select(Path.GetFullPath).ToList();
            foreach (var missing in paths.Where(p => !File.Exists(p)))
                throw new FileNotFoundException($"{missing}: no such run store");
            using var target = RunStore.Open(result.GetValue(into) is { } t ? Path.GetFullPath(t) : context.DatabasePath);
            var conflicts = 0;
            foreach (var path in paths)
            {
                cancel.ThrowIfCancellationRequested();
                var report = target.Merge(path);
                // Plain writes: one line each however long (the console would wrap them at its width).
                Console.Out.WriteLine(
                    $"merged {report.Source}: {report.Added} added, {report.Replaced} replaced (finished over unfinished), {report.Unchanged} already there, {report.KeptTarget} kept (the target's is further), {report.Conflicts.Count} conflict(s)");
                foreach (var conflict in report.Conflicts) Console.Out.WriteLine(conflict);
                conflicts += report.Conflicts.Count;
            }
            var runs = target.List();
            var left = conflicts > 0 ? $"; {conflicts} conflict(s) left as they were" : "";
            Console.Out.WriteLine($"{target.FilePath}: {runs.Count} run(s), {runs.Count(r => r.Status == RunStatus.Finished)} finished{left}");
            return conflicts > 0 ? 1 : 0;
        });
        return command;
    }
}
