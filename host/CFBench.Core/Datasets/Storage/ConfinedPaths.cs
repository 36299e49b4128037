using System.Runtime.InteropServices;

namespace CFBench.Core.Datasets.Storage;

/// <summary>
/// The paths a dataset card names (its files, its <c>directory</c>) kept inside the folder they belong to: resolved
/// with every symbolic link followed, refused when they end outside it, and read only when they are regular files (a
/// card naming <c>/dev/zero</c> or a FIFO would hang a reader). Messages name the path, never the file's content.
/// </summary>
public static class ConfinedPaths
{
    private const int MaxLinkHops = 40;

    /// <summary><paramref name="relative"/> under <paramref name="root"/>, links resolved; throws
    /// <see cref="DatasetException"/> when it is absolute or resolves outside <paramref name="root"/>.</summary>
    public static string Resolve(string root, string relative, string what)
    {
        if (relative.Length == 0 || Path.IsPathRooted(relative))
            throw new DatasetException($"{what} '{relative}' must be a path relative to {root}");
        var realRoot = RealPath(root);
        var real = RealPath(Path.Combine(realRoot, relative));
        if (!IsUnder(realRoot, real))
            throw new DatasetException($"{what} '{relative}' resolves outside {root} (to {real}); a card may only name files under it");
        return real;
    }

    public static bool IsUnder(string realRoot, string realPath) =>
        realPath == realRoot || realPath.StartsWith(Path.TrimEndingDirectorySeparator(realRoot) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The absolute path with every symbolic link on it followed (the parts that exist; the rest kept as
    /// written).</summary>
    public static string RealPath(string path)
    {
        int hops = 0;
        return RealPath(Path.GetFullPath(path), ref hops);
    }

    private static string RealPath(string full, ref int hops)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(current, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++hops > MaxLinkHops) throw new DatasetException($"{full}: too many levels of symbolic links");
            current = RealPath(Path.GetFullPath(target, current), ref hops);
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> exists and is a regular file (not a directory, device, FIFO or
    /// socket); links are followed.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsWindows())
            return Stat(path, out var status) == 0 && (status.Mode & FileTypeMask) == RegularFile;
        return File.Exists(path) && (File.GetAttributes(path) & (FileAttributes.Directory | FileAttributes.Device)) == 0;
    }

    /// <summary>Throws <see cref="DatasetException"/> unless <paramref name="path"/> is a regular file.</summary>
    public static void RequireRegularFile(string path, string what)
    {
        if (!IsRegularFile(path)) throw new DatasetException($"{what} {path} is not a regular file");
    }

    // The runtime's own stat shim (libSystem.Native, shipped with every .NET on Unix): its FileStatus begins with
    // Flags and Mode, Mode carrying the file type bits with POSIX values. The rest of the struct is not read.
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatusHead
    {
        public int Flags;
        public int Mode;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for one call
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatusHead status);
#pragma warning restore SYSLIB1054
}
