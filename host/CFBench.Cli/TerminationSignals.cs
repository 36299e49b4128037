using System.Runtime.InteropServices;

namespace CFBench.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for a command: the first one cancels <see cref="Token"/>, which reaches the trainer
/// (and a run's worker process), so the run is marked interrupted and the command ends with <c>cancelled</c> and
/// exit code 130; a second one ends the process at once. (System.CommandLine 2.0.0 leaves these signals unhandled,
/// so the process would die where it stands.)
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public TerminationSignals(CancellationToken outer)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, OnSignal)).ToArray();
    }

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1) return; // not cancelled: the default action ends the process
        context.Cancel = true;
        // Cancel off the signal thread: token callbacks (telling a worker to stop) must not delay a second signal.
        ThreadPool.QueueUserWorkItem(_ => _cancel.Cancel());
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
