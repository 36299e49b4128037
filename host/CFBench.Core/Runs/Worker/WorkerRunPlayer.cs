using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CFBench.Core.Datasets;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs.Worker;

/// <summary>
/// Plays each run in a worker process (as BenchmarkDotNet runs each benchmark out of process) and supervises it:
/// the worker's events (<see cref="WorkerMessage"/>) reach <c>observer</c> and <c>log</c> on the calling thread, so
/// the store and the progress display work as with an in-process run. Whatever the plugin does to its process —
/// <c>Environment.Exit</c>, an exception on a background thread, running out of memory, a native crash — ends only
/// the worker: the run fails with the cause in one line (the worker's last word, else its exit code or signal and
/// its last line of output). Cancelling asks the worker to stop; if it cannot answer, it is killed.
/// </summary>
/// <param name="startInfo">The command line of the worker for a run and what it starts from.</param>
public sealed class WorkerRunPlayer(Func<PlannedRun, RunInputs, ProcessStartInfo> startInfo) : IRunPlayer
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public RunOutcome Play(PlannedRun run, InteractionDataset data, torch.Device device, RunInputs inputs,
        ITrainingObserver observer, Action<string> log, CancellationToken cancel)
    {
        var info = startInfo(run, inputs);
        info.UseShellExecute = false;
        info.RedirectStandardInput = info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.StandardInputEncoding = info.StandardOutputEncoding = info.StandardErrorEncoding = Utf8;
        using var process = Process.Start(info) ?? throw new RunFailedException($"{run.Spec.Label}: the worker process did not start");

        var toWorker = new WorkerInput(process.StandardInput);
        var lines = new BlockingCollection<(bool FromStdout, string Text)>();
        int open = 2;
        void Pump(StreamReader reader, bool fromStdout)
        {
            try
            {
                while (reader.ReadLine() is { } line) lines.Add((fromStdout, line));
            }
            catch (IOException) { }
            finally
            {
                if (Interlocked.Decrement(ref open) == 0) lines.CompleteAdding();
            }
        }
        new Thread(() => Pump(process.StandardOutput, true)) { IsBackground = true, Name = "worker stdout" }.Start();
        new Thread(() => Pump(process.StandardError, false)) { IsBackground = true, Name = "worker stderr" }.Start();

        RunOutcome? outcome = null;
        string? failure = null;
        bool resumable = false;
        string? lastOutput = null;
        bool cancelled = false;
        try
        {
            using var onCancel = cancel.Register(() => toWorker.Send(WorkerMessage.Cancel));
            foreach (var (fromStdout, text) in lines.GetConsumingEnumerable())
            {
                var message = fromStdout ? WorkerMessage.TryParse(text) : null;
                if (message is null)
                {
                    if (string.IsNullOrWhiteSpace(text)) continue;
                    lastOutput = ErrorText.Printable(text.Trim());
                    log(lastOutput);
                    continue;
                }
                switch (message.Kind)
                {
                    case WorkerMessage.EpochStarting:
                        observer.OnEpochStarting(message.EpochNumber, message.FirstEpoch, message.LastEpoch);
                        break;
                    case WorkerMessage.Epoch when message.Record is { } record:
                        observer.OnEpoch(record);
                        break;
                    case WorkerMessage.Evaluation when message.Result is { } result:
                        observer.OnEvaluation(message.EpochNumber, result, message.IsBest);
                        break;
                    case WorkerMessage.Checkpoint when message.Saved is { } saved:
                        observer.OnCheckpoint(saved, message.IsBest);
                        toWorker.Send(WorkerMessage.Ack);
                        break;
                    case WorkerMessage.CheckpointsRejected:
                        observer.OnCheckpointsRejected(ErrorText.Printable(message.Text ?? ""), message.EpochNumber);
                        break;
                    case WorkerMessage.Log:
                        log(ErrorText.Printable(message.Text ?? ""));
                        break;
                    case WorkerMessage.Finished when message.Outcome is { } finished:
                        outcome = finished;
                        break;
                    case WorkerMessage.Failed:
                        if (failure is null)
                        {
                            failure = ErrorText.FirstLine(message.Text ?? "failed");
                            resumable = message.Resumable;
                        }
                        break;
                    case WorkerMessage.Cancelled:
                        cancelled = true;
                        break;
                    default:
                        throw new InvalidDataException($"worker of run {run.Spec.Key}: unexpected message '{ErrorText.FirstLine(text)}'");
                }
            }
            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        // The outcome is whole once sent: a crash while the worker shuts down afterwards does not change it.
        if (outcome is not null) return outcome;
        if (failure is not null) throw new RunFailedException(failure) { Resumable = resumable };
        if (cancelled || cancel.IsCancellationRequested) throw new OperationCanceledException(cancel);
        var plugin = Path.GetFileName(run.Model.Source.AssemblyPath);
        var said = lastOutput is null ? "" : $"; its last output: {lastOutput}";
        throw new RunFailedException($"{run.Spec.Label} (plugin {plugin}): the worker process {ExitText(process.ExitCode)} before the run ended{said}")
        {
            Resumable = ResumableFailure.IsCrash(process.ExitCode),
        };
    }

    /// <summary>"exited with code 42", or, for a process a signal ended (.NET reports 128 + the signal),
    /// "was killed by signal 11 (SIGSEGV)".</summary>
    public static string ExitText(int exitCode)
    {
        if (exitCode is > 128 and < 128 + 32)
        {
            var signal = exitCode - 128;
            var name = signal switch
            {
                1 => "SIGHUP", 2 => "SIGINT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE",
                9 => "SIGKILL: out of memory, or kill -9", 11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM",
                _ => null,
            };
            return name is null ? $"was killed by signal {signal}" : $"was killed by signal {signal} ({name})";
        }
        return $"exited with code {exitCode}";
    }

    /// <summary>The worker's standard input: acknowledgements from the reading thread and a cancel request from
    /// whichever thread cancels, one line at a time. A worker that is gone is not an error here: its end is.</summary>
    private sealed class WorkerInput(StreamWriter input)
    {
        private readonly Lock _lock = new();

        public void Send(string line)
        {
            lock (_lock)
            {
                try
                {
                    input.WriteLine(line);
                    input.Flush();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { }
            }
        }
    }
}
