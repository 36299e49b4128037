namespace CFBench.Core.Plugins;

/// <summary>Finds plugin assemblies on disk: <c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>, or a folder that is itself
/// a plugin folder; and spots plugin folders that bundle their own TorchSharp or libtorch.</summary>
internal static class PluginDiscovery
{
    /// <summary>Native and managed TorchSharp files a plugin must not carry: the host loads the one copy.</summary>
    private static readonly string[] TorchFilePrefixes =
    {
        "libtorch", "torch_cpu", "torch_cuda", "torch_global_deps", "libc10", "c10.", "c10_", "libLibTorchSharp", "LibTorchSharp",
    };

    public static IEnumerable<string> FindPluginAssemblies(IEnumerable<string> directories, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in directories)
        {
            var dir = Path.GetFullPath(given);
            if (!Directory.Exists(dir))
            {
                problems.Add($"{dir}: plugin folder does not exist");
                continue;
            }
            var candidates = AssemblyOf(dir) is { } self
                ? new[] { self }
                : Directory.EnumerateDirectories(dir).OrderBy(d => d, StringComparer.Ordinal).Select(d => AssemblyOf(d, problems)).OfType<string>().ToArray();
            foreach (var assembly in candidates)
                if (seen.Add(assembly)) yield return assembly;
        }
    }

    /// <summary>The first file in <paramref name="pluginFolder"/> (recursively) that is TorchSharp or libtorch, if any.</summary>
    public static string? FindBundledTorch(string pluginFolder) =>
        Directory.EnumerateFiles(pluginFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(pluginFolder, f))
            .Where(IsTorchFile)
            .OrderBy(f => f, StringComparer.Ordinal)
            .FirstOrDefault();

    private static bool IsTorchFile(string relativePath)
    {
        var name = Path.GetFileName(relativePath);
        if (name.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return true;
        var native = name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal)
                     || name.EndsWith(".dylib", StringComparison.Ordinal) || name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        return native && TorchFilePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    private static string? AssemblyOf(string folder)
    {
        var path = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>A sub-folder's plugin assembly; a sub-folder with assemblies but none named after it is reported.</summary>
    private static string? AssemblyOf(string folder, List<string> problems)
    {
        if (AssemblyOf(folder) is { } path) return path;
        if (Directory.EnumerateFiles(folder, "*.dll").Any())
            problems.Add($"{folder}: no {Path.GetFileName(folder)}.dll (a plugin folder <Name>/ holds <Name>.dll)");
        return null;
    }
}
