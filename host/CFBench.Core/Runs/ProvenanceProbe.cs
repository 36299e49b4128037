using System.Diagnostics;
using System.Runtime.InteropServices;
using CFBench.Core.Datasets;
using CFBench.Core.Plugins;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>Collects where and with what a run executes: plugin, data checksums, device, library versions, git commit.</summary>
public static class ProvenanceProbe
{
    public static RunProvenance Collect(CatalogModel model, InteractionDataset data, torch.Device device, string projectDirectory)
    {
        var (commit, dirty) = GitState(projectDirectory);
        var (deviceName, memory) = DescribeDevice(device);
        return new RunProvenance(
            model.Source.AssemblyPath,
            model.Source.Version,
            model.Source.Sha256,
            model.Source.ContractVersion,
            data.FileChecksums,
            device.ToString(),
            deviceName,
            memory,
            typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LibTorchVersion.Detect(),
            RuntimeInformation.OSDescription,
            commit,
            dirty,
            Environment.MachineName);
    }

    /// <summary>The commit cfbench was built from and whether its work tree had changes. A published bundle's
    /// launcher names it in CFBENCH_GIT_COMMIT ("sha", or "sha+" when dirty): the bundle's binaries, not whatever git
    /// checkout the command runs in, are what ran. Otherwise it is the project's git checkout (the launcher
    /// rebuilds from it); else "unknown".</summary>
    public static (string Commit, bool Dirty) GitState(string directory) =>
        GitState(directory, Environment.GetEnvironmentVariable("CFBENCH_GIT_COMMIT"));

    internal static (string Commit, bool Dirty) GitState(string directory, string? bundled)
    {
        if (bundled is { Length: > 0 })
            return (bundled.TrimEnd('+'), bundled.EndsWith('+'));
        var commit = RunGit(directory, "rev-parse HEAD");
        if (commit is null) return ("unknown", false);
        var status = RunGit(directory, "status --porcelain --untracked-files=no");
        return (commit, !string.IsNullOrWhiteSpace(status));
    }

    private static string? RunGit(string directory, string arguments) => RunCommand("git", $"-C \"{directory}\" {arguments}");

    private static (string Name, long Memory) DescribeDevice(torch.Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            var smi = RunCommand("nvidia-smi", $"--query-gpu=name,memory.total --format=csv,noheader,nounits -i {Math.Max(device.index, 0)}");
            if (smi?.Split(',') is [var name, var mib] && long.TryParse(mib.Trim(), out var m))
                return (name.Trim(), m * 1024 * 1024);
            return ("CUDA device", -1);
        }
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var name2 = $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()} ({Environment.ProcessorCount} threads, {torch.get_num_threads()} torch threads)";
        return (name2, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    private static string? RunCommand(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
