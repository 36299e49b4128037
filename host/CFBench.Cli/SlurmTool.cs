using System.Diagnostics;

namespace CFBench.Cli;

/// <summary>Runs a Slurm client command (sbatch, squeue, sacct) and returns its exit code and output.</summary>
public static class SlurmTool
{
    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start) ?? throw new UserException($"{tool}: could not be started");
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserException($"{tool} not found: run this on a Slurm login node (slurm-client installed, {tool} on PATH)");
        }
    }
}
