using System.Diagnostics;

namespace CFBench.Tests.Slurm;

/// <summary>
/// The Slurm cluster the tests submit to: the one <c>tools/slurm-cluster.sh up</c> starts on this machine (.ci/run
/// does). Where none answers, a Slurm test is skipped with the reason, except in CI (CI=true), where it fails.
/// </summary>
public static class SlurmCluster
{
    private static readonly Lazy<string?> Problem = new(FindProblem);

    /// <summary>Null when a node takes jobs, else why not.</summary>
    public static string? Unavailable => Problem.Value;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs a Slurm command; throws with its output when it fails.</summary>
    public static string Run(string tool, params string[] args)
    {
        var (code, output) = TryRun(tool, args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed (exit code {code}): {output}");
        return output;
    }

    public static (int Code, string Output) TryRun(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(30_000)) { process.Kill(); return (-1, $"{tool} did not answer in 30 s"); }
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{tool} is not installed");
        }
    }

    private static string? FindProblem()
    {
        var (code, output) = TryRun("sinfo", "-h", "-N", "-o", "%T");
        if (code != 0) return $"no Slurm cluster answers (sinfo: {output.Trim()}); start one with `sudo tools/slurm-cluster.sh up`";
        var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return states.Any(s => s is "idle" or "mixed" or "allocated" or "completing")
            ? null
            : $"no Slurm node takes jobs (sinfo: {string.Join(", ", states)})";
    }
}

/// <summary>A fact that needs the Slurm cluster: skipped with the reason where there is none, failed in CI.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Unavailable is { } problem && !SlurmCluster.InCi) Skip = problem;
    }
}
