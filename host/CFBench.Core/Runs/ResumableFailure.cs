using System.Runtime.InteropServices;

namespace CFBench.Core.Runs;

/// <summary>
/// Failures after which the same run, resumed from its last checkpoint in a new process, may go on: a libtorch error
/// (TorchSharp's <see cref="ExternalException"/>) or a native crash. TorchSharp 0.107 passes libtorch the handles of
/// objects whose finalizers free them: a temporary <c>Scalar</c> (it makes one itself for the alpha of every
/// <c>add</c> and <c>sub</c>) is garbage as soon as its handle is read, and when a garbage collection started by another
/// thread runs during the native call, the finalizer frees it while libtorch reads it. libtorch then fails on freed
/// memory ("Unknown scalar type.", "Expected false to be true, but got false.") or the process crashes.
/// <c>tools/scalar-race</c> reproduces this outside CFBench. Such a failure is not the run's: resuming is bit-identical
/// to never having stopped. A failure of the plugin's own (a shape error is also an <see cref="ExternalException"/>)
/// comes back at the same place, and <see cref="RunExecutor"/> resumes only after a failed attempt got past a new
/// checkpoint, so it costs at most one repeated stretch of epochs.
/// </summary>
public static class ResumableFailure
{
    public static bool Is(Exception e) => e switch
    {
        RunFailedException failed => failed.Resumable,
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Is(inner),
        _ => e is ExternalException,
    };

    /// <summary>A worker that ended by a crash signal (SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV), not by SIGKILL: that
    /// is the kernel's out-of-memory killer or a user, and resuming would meet it again.</summary>
    public static bool IsCrash(int exitCode) => exitCode - 128 is 4 or 6 or 7 or 8 or 11;
}
