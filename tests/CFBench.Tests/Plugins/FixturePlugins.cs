using System.Diagnostics;

namespace CFBench.Tests.Plugins;

/// <summary>
/// Builds the out-of-tree plugin projects of tests/fixtures once for a test class, with <c>dotnet build</c>, into a
/// temp folder (each build with its own --artifacts-path, so nothing of the repository's build output is touched):
/// <see cref="Plugins"/> holds OutOfTreePlugin/ and ThrowingPlugin/; <see cref="OtherMajorPlugins"/> holds
/// OutOfTreePlugin/ compiled against a copy of the contract with AssemblyVersion 9.0.0.0 (another major than this host's).
/// </summary>
public sealed class FixturePlugins : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public FixturePlugins()
    {
        Root = RepoPaths.TempDirectory();
        var fixtures = Path.Combine(RepoPaths.Root, "tests", "fixtures");
        Plugins = Path.Combine(Root, "plugins");
        OtherMajorPlugins = Path.Combine(Root, "plugins-contract-other-major");
        var builds = new[]
        {
            Task.Run(() => Build(Path.Combine(fixtures, "Fixtures.slnx"), "build", $"-p:CFBenchPluginDir={Plugins}/")),
            Task.Run(() => Build(Path.Combine(fixtures, "OutOfTreePlugin", "OutOfTreePlugin.csproj"), "build-other-major",
                $"-p:PluginOutDir={OtherMajorPlugins}/OutOfTreePlugin/", "-p:AssemblyVersion=9.0.0.0")),
        };
        Task.WaitAll(builds);
    }

    public string Root { get; }
    public string Plugins { get; }
    public string OtherMajorPlugins { get; }

    private void Build(string project, string artifacts, params string[] properties)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[] { "build", project, "-c", "Release", "--artifacts-path", Path.Combine(Root, artifacts),
                     "--disable-build-servers", "-nologo", "-v", "q", "-clp:ErrorsOnly" }.Concat(properties))
            start.ArgumentList.Add(arg);
        // The test host runs under the SDK's MSBuild settings; a child build must pick its own.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build {project} took longer than {BuildTimeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build {project} failed ({process.ExitCode}):\n{output.Result}\n{errors.Result}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
