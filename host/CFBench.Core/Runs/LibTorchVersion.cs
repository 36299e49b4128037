using System.Text.RegularExpressions;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>
/// The version of the libtorch this process runs on. TorchSharp reports the libtorch it was built against, which is
/// wrong when cfbench runs on another one (a GPU machine's PyTorch, via TorchBackend=system). A PyTorch install keeps
/// <c>torch/version.py</c> beside <c>torch/lib/</c>; when the loaded libtorch_cpu.so sits in such a folder, that
/// file names the version. Otherwise TorchSharp's figure stands (the libtorch NuGet packages match it).
/// </summary>
public static partial class LibTorchVersion
{
    public static string Detect() => FromLoadedLibrary(LoadedLibraryPath()) ?? torch.__version__;

    /// <summary>The version named by the <c>version.py</c> of the PyTorch install holding <paramref name="libraryPath"/>.</summary>
    internal static string? FromLoadedLibrary(string? libraryPath)
    {
        if (libraryPath is null || Path.GetDirectoryName(Path.GetDirectoryName(libraryPath)) is not { } torchDirectory) return null;
        var versionFile = Path.Combine(torchDirectory, "version.py");
        if (!File.Exists(versionFile)) return null;
        return File.ReadLines(versionFile).Select(line => VersionLine().Match(line)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
    }

    private static string? LoadedLibraryPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path) == "libtorch_cpu.so");
    }

    [GeneratedRegex("""^__version__\s*=\s*['"]([^'"]+)['"]""")]
    private static partial Regex VersionLine();
}
