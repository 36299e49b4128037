namespace CFBench.Tests;

/// <summary>Locations in the repository and the shared folder beside it, found from the test binary.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedDatasets => Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets"));

    public static string Cli => Path.Combine(Root, "artifacts", "bin", "cfbench", "cfbench.dll");

    public static string DefaultPlugins => Path.Combine(Root, "artifacts", "bin", "cfbench", "plugins");

    public static string DatasetCards => Path.Combine(Root, "datasets");

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cfbench-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CFBench.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CFBench.sln not found above the test binary");
    }
}
