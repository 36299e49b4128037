using System.Diagnostics;

namespace CFBench.Core.Tracking;

/// <summary>Tells whether the process that registered a run still exists: same host, same pid, same start time
/// (a reused pid has a different start time). A process on another host cannot be checked and counts as alive.</summary>
internal static class ProcessLiveness
{
    /// <summary>Start times from /proc are recomputed from the boot time on each read; allow for rounding.</summary>
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(2);

    public static string CurrentHost => Environment.MachineName;

    public static (int Pid, DateTimeOffset? Started) Current()
    {
        using var self = Process.GetCurrentProcess();
        return (self.Id, StartTime(self));
    }

    public static bool IsAlive(string host, long pid, DateTimeOffset? started)
    {
        if (!string.Equals(host, CurrentHost, StringComparison.OrdinalIgnoreCase)) return true;
        if (pid <= 0 || pid > int.MaxValue) return false;
        try
        {
            using var process = Process.GetProcessById((int)pid);
            if (process.HasExited) return false;
            if (started is null) return true;
            var actual = StartTime(process);
            return actual is null || (actual.Value - started.Value).Duration() <= StartTolerance;
        }
        catch (ArgumentException) { return false; }        // no such process
        catch (InvalidOperationException) { return false; } // exited while we looked
    }

    private static DateTimeOffset? StartTime(Process process)
    {
        try { return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return null; }
    }
}
