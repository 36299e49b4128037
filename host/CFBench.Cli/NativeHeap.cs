using System.Runtime.InteropServices;

namespace CFBench.Cli;

/// <summary>
/// Tunes glibc's allocator for libtorch's pattern of many large, short-lived buffers (a LightGCN batch allocates
/// ~10 activations of |nodes|×64 floats). With glibc's defaults the process fragments to several GB across
/// arenas; with a 1 MB mmap threshold it stays small but every buffer is a fresh mapping and training runs 3.5×
/// slower (page faults). One arena and a 32 MB threshold: activations up to Gowalla's (70,839 nodes × 64 floats,
/// 18 MB) reuse the heap; larger ones (Amazon-Book's, 37 MB) are mapped, which keeps memory flat (1.4 GB) where a
/// heap would fragment past 5 GB. Setting the threshold also pins glibc's trim threshold at 128 KB, so the heap
/// would be returned to the kernel and faulted back in on every batch: a 1 GB trim threshold and 256 MB top pad
/// keep it (Gowalla epoch 68 s → 21 s on 2 cores). Measured in the LightGCN issue's note.
/// A user's own MALLOC_* environment wins.
/// </summary>
internal static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2;        // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;      // M_ARENA_MAX

    public static void Tune()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal))) return;
        try
        {
            mallopt(MmapThreshold, 32 << 20);
            mallopt(TrimThreshold, 1 << 30);
            mallopt(TopPad, 256 << 20);
            mallopt(ArenaMax, 1);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): nothing to tune
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);
}
