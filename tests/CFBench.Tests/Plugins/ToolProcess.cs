using System.Diagnostics;

namespace CFBench.Tests.Plugins;

/// <summary>Runs a command-line tool (dotnet, a tools/ script) to completion in a child process, as a user would run
/// it: the test host's MSBuild settings are removed from its environment, so a child build picks its own.</summary>
public static class ToolProcess
{
    private static readonly string[] HostMSBuildVariables =
        { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" };

    /// <summary>The dotnet host running the tests (the same SDK), else dotnet on PATH.</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <paramref name="file"/> and returns its output (stdout then stderr); throws with that output when
    /// it fails or outlives <paramref name="timeout"/>. A tool must not leave build servers behind (they would hold the
    /// output pipes open): pass --disable-build-servers to builds.</summary>
    public static string Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in HostMSBuildVariables) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var command = $"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} took longer than {timeout}");
        }
        var text = output.Result + errors.Result;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} failed ({process.ExitCode}):\n{text}");
        return text;
    }
}
