using System.Globalization;
using System.Runtime.InteropServices;

namespace CFBench.Cli;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions. libgomp's default spins a waiting thread before it
/// sleeps: on an idle machine that is the fastest (LightGCN/K3 on gowalla-mini, 2 cores: 0.24 s per epoch, 0.50 s
/// when waiting threads sleep at once), but when other processes want the cores the spinning threads take the time
/// slices the thread with work needs, and epochs stretch by orders of magnitude (load 30-80: 71 s per epoch spinning,
/// 0.8-3.6 s sleeping; a shorter spin, GOMP_SPINCOUNT=30000, still 29 s). So cfbench lets OpenMP spin only when the
/// machine is idle at start (1-minute load average under 1) and sets OMP_WAIT_POLICY=PASSIVE otherwise. It is set in
/// the native environment before libtorch, and libgomp with it, is loaded (libgomp reads it once); each process
/// decides afresh when it starts. A user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
/// </summary>
internal static class ThreadPolicy
{
    /// <summary>Another process already wants a core: spinning would take time from the threads that have work.</summary>
    private const double BusyLoad = 1.0;

    public static void Tune()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        if (OneMinuteLoad() is not { } load || load < BusyLoad) return;
        try
        {
            // Environment.SetEnvironmentVariable changes only .NET's copy; libgomp reads the C library's.
            setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // no C library to ask: leave OpenMP's default
        }
    }

    private static double? OneMinuteLoad()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
