using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CFBench.Tests;

/// <summary>Runs the built cfbench CLI as a child process (the way users run it).</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static CliProcess Start(string workingDirectory, params string[] args) => Start(Array.Empty<string>(), workingDirectory, args);

    /// <param name="wrapper">A command that runs the command line it is given, e.g. <c>unshare -rm sh -c '...; exec "$@"' sh</c>.</param>
    public static CliProcess Start(IReadOnlyList<string> wrapper, string workingDirectory, params string[] args)
    {
        if (!File.Exists(RepoPaths.Cli)) throw new InvalidOperationException($"{RepoPaths.Cli} is not built");
        var info = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : "dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (wrapper.Count > 0)
        {
            foreach (var w in wrapper.Skip(1)) info.ArgumentList.Add(w);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(RepoPaths.Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("CFBENCH_CONFIG");
        info.Environment.Remove("CFBENCH_DATA");
        return new CliProcess(Process.Start(info)!);
    }

    /// <summary>Runs to completion and returns (exit code, output).</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(Array.Empty<string>(), workingDirectory, timeout, args);

    public static (int ExitCode, string Output) Run(IReadOnlyList<string> wrapper, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var process = Start(wrapper, workingDirectory, args);
        if (!process.WaitForExit(timeout))
            throw new TimeoutException($"cfbench {string.Join(' ', args)} did not finish in {timeout}:\n{process.Output}");
        return (process._process.ExitCode, process.Output);
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // flush the asynchronous output readers
        return true;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Sends a signal to the cfbench process alone (not its children), as `kill -SIGNAL pid` does.</summary>
    public void Signal(PosixSignalNumber signal)
    {
        if (kill(_process.Id, (int)signal) != 0)
            throw new InvalidOperationException($"kill -{(int)signal} {_process.Id} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGKILL, as `kill -9`: no handler runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

/// <summary>Linux signal numbers (PosixSignal's values are .NET's own, not these).</summary>
public enum PosixSignalNumber { SIGINT = 2, SIGKILL = 9, SIGTERM = 15 }
