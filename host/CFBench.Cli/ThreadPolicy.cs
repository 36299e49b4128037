using System.Globalization;
using System.Runtime.InteropServices;

namespace CFBench.Cli;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions. libgomp's default spins a waiting thread before it
/// sleeps: on an idle machine that is the fastest (LightGCN/K3 on gowalla-mini, 2 cores: 0.24 s per epoch, 0.50 s
/// when waiting threads sleep at once), but when other processes want the cores the spinning threads take the time
/// slices the thread with work needs, and epochs stretch by orders of magnitude (load 30-80: 71 s per epoch spinning,
/// 0.8-3.6 s sleeping; a shorter spin, GOMP_SPINCOUNT=30000, still 29 s). So cfbench lets OpenMP spin only when no
/// other task is waiting for a core at start, and sets OMP_WAIT_POLICY=PASSIVE otherwise. It looks at the number of
/// runnable tasks now (/proc/loadavg, fourth field), the fewest of a few samples, not the load average: that lags by
/// minutes, so a suite's worker would see its predecessor's load and sleep on a quiet machine (LightGCN/K3 on gowalla,
/// 2 cores: 24.1 s per epoch instead of 20.0 s). It is set in
/// the native environment before libtorch, and libgomp with it, is loaded (libgomp reads it once); each process
/// decides afresh when it starts. A user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
/// </summary>
internal static class ThreadPolicy
{
    private const int Samples = 5;
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(20);

    public static void Tune()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        // Another task already wants a core at every look: spinning would take time from the threads that have work.
        if (OtherRunnableTasks() is not { } others || others < 1) return;
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

    /// <summary>The fewest runnable tasks besides this one over a few samples, or null when the kernel does not say.</summary>
    private static int? OtherRunnableTasks()
    {
        int? fewest = null;
        for (int i = 0; i < Samples; i++)
        {
            if (i > 0) Thread.Sleep(SampleInterval);
            try
            {
                // "0.52 0.58 0.59 3/345 12345": the fourth field is runnable/total scheduling entities, this one included.
                var runnable = File.ReadAllText("/proc/loadavg").Split(' ')[3].Split('/')[0];
                if (!int.TryParse(runnable, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)) return null;
                fewest = Math.Min(fewest ?? int.MaxValue, count - OwnRunnableThreads());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
            {
                return null;
            }
        }
        return fewest;
    }

    /// <summary>This process's threads that are runnable now (the runtime's own start-up threads count in the kernel's
    /// figure too).</summary>
    private static int OwnRunnableThreads()
    {
        int running = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                // "pid (comm) S ...": the state follows the command name, which may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 2)[0];
                if (state == "R") running++;
            }
            catch (IOException) { }   // the thread ended meanwhile
        }
        return Math.Max(1, running);
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
