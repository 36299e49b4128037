using CFBench.Contracts;
using CFBench.Core.Tracking;
using CFBench.Tests.Runs;
using Xunit.Abstractions;

namespace CFBench.Tests.Plugins;

/// <summary>
/// The plugin SDK out of the tree, as README's "Adding a model plugin" says: tools/pack-sdk.sh packs the SDK, `dotnet new`
/// creates a plugin from the cfbench-plugin template in a folder outside the repository, `dotnet build` builds it
/// against the packed SDK, and `cfbench run` runs it.
/// </summary>
[Collection(PluginBuildsCollection.Name)]
public class PluginTemplateTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private const string PluginName = "SdkTemplateModel";

    [Fact]
    public void PluginFromTheTemplateBuildsOutsideTheRepositoryAgainstThePackedSdkAndRuns()
    {
        var started = DateTime.UtcNow;
        var root = RepoPaths.TempDirectory();
        Assert.False(root.StartsWith(RepoPaths.Root + Path.DirectorySeparatorChar), $"{root} is inside the repository");
        var sdk = Path.Combine(root, "sdk");
        var project = Path.Combine(root, PluginName);
        // dotnet new keeps its templates in a hive of its own here: the user's templates are untouched.
        var hive = new[] { "--debug:custom-hive", Path.Combine(root, "template-hive") };
        var nuget = new Dictionary<string, string> { ["NUGET_PACKAGES"] = PrivatePackagesFolder(root) };

        Step("pack", "bash", new[] { Path.Combine(RepoPaths.Root, "tools", "pack-sdk.sh"), sdk }, RepoPaths.Root, nuget);
        var packages = Directory.GetFiles(sdk, "*.nupkg").Select(Path.GetFileName).ToList();
        foreach (var id in new[] { "CFBench.Contracts", "CFBench.Sdk", "CFBench.Templates" })
            Assert.Contains(packages, p => p!.StartsWith(id + ".2."));
        var templates = Directory.GetFiles(sdk, "CFBench.Templates.*.nupkg").Single();

        Step("new install", ToolProcess.Dotnet, new[] { "new", "install", templates }.Concat(hive).ToArray(), root);
        Step("new", ToolProcess.Dotnet, new[] { "new", "cfbench-plugin", "-n", PluginName, "-o", project, "--sdk-source", sdk }.Concat(hive).ToArray(), root);
        Step("build", ToolProcess.Dotnet, new[] { "build", "-c", "Release", "--disable-build-servers", "-nologo" }, project, nuget);

        // The output folder is a plugin folder holding the plugin alone: no TorchSharp, contract or SDK assembly.
        var pluginFolder = Path.Combine(project, "bin", "Release", PluginName);
        var dll = Path.Combine(pluginFolder, PluginName + ".dll");
        Assert.Equal(new[] { PluginName + ".dll" }, Directory.GetFiles(pluginFolder, "*.dll").Select(Path.GetFileName));
        var written = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "host"), "*", SearchOption.AllDirectories)
            .Where(f => File.GetLastWriteTimeUtc(f) >= started).ToList();
        Assert.True(written.Count == 0, "packing or building the plugin wrote into host/: " + string.Join(", ", written));

        var workspace = new SuiteWorkspace($$"""{ "model": "{{PluginName}}", "params": { "embedding_dim": 16 } }""", epochs: 1, evaluateEvery: 1);
        var (code, log) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t", "--plugins", Path.Combine(project, "bin", "Release"));
        output.WriteLine($"$ cfbench run --suite t --plugins {project}/bin/Release\n{log}");
        Assert.True(code == 0, log);
        using var store = RunStore.Open(workspace.Database);
        var run = Assert.Single(store.List(null, RunDetail.History));
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.Equal(PluginName, run.Spec.Model);
        Assert.Equal(dll, run.Provenance!.PluginAssemblyPath);
        Assert.Equal(ContractVersion.Major, Version.Parse(run.Provenance.ContractVersion).Major);
        Assert.Single(run.Epochs);
        Assert.InRange(run.TestMetrics["recall@20"], 0.0, 1.0);
    }

    private void Step(string name, string file, string[] args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var text = ToolProcess.Run(file, args, workingDirectory, Limit, environment);
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', args)}   [{name}, {watch.Elapsed.TotalSeconds:F1} s]\n{text.TrimEnd()}\n");
    }

    /// <summary>A NuGet packages folder of the test's own: a link to every package of the machine's cache but CFBench's,
    /// so TorchSharp restores offline, the packages just packed are the ones restored, and tools/pack-sdk.sh drops its
    /// stale copies from here, not from the machine's cache.</summary>
    private static string PrivatePackagesFolder(string root)
    {
        const string prefix = "global-packages: ";
        var listing = ToolProcess.Run(ToolProcess.Dotnet, new[] { "nuget", "locals", "global-packages", "--list" }, root, Limit);
        var machine = listing.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix))[prefix.Length..];
        var folder = Path.Combine(root, "nuget-packages");
        Directory.CreateDirectory(folder);
        if (Directory.Exists(machine))
            foreach (var package in Directory.EnumerateDirectories(machine))
                if (!Path.GetFileName(package).StartsWith("cfbench.", StringComparison.OrdinalIgnoreCase))
                    Directory.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(package)), package);
        return folder;
    }
}
