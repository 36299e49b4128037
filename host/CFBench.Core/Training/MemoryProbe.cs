using System.Runtime.InteropServices;
using TorchSharp;

namespace CFBench.Core.Training;

/// <summary>
/// Peak memory of an epoch. On CPU: the process's peak resident set (VmHWM), reset before each epoch through
/// /proc/self/clear_refs. On CUDA: device memory in use at the end of the epoch as the driver reports it
/// (TorchSharp exposes no allocator statistics), a lower bound of the peak.
/// </summary>
public sealed class MemoryProbe(torch.Device device)
{
    public void Reset()
    {
        if (device.type != DeviceType.CPU) return;
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Bytes, or -1 when unknown.</summary>
    public long Peak() => device.type == DeviceType.CPU ? ReadProcessPeak() : ReadDeviceUsed();

    private static long ReadProcessPeak()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return -1;
    }

    private static long ReadDeviceUsed()
    {
        try
        {
            return CudaDriver.cuMemGetInfo_v2(out var free, out var total) == 0 ? (long)(total - free) : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return -1; }
    }

    private static class CudaDriver
    {
        [DllImport("libcuda.so.1")]
        public static extern int cuMemGetInfo_v2(out ulong free, out ulong total);
    }
}
