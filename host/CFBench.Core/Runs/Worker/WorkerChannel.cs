using System.Runtime.InteropServices;
using System.Text;
using CFBench.Core.Protocols;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using Microsoft.Win32.SafeHandles;

namespace CFBench.Core.Runs.Worker;

/// <summary>
/// The worker's side of <see cref="WorkerMessage"/>'s protocol: a training observer that sends every event to the
/// host, waits for the host's acknowledgement of each checkpoint, and turns the host's <c>cancel</c> into
/// <see cref="Cancellation"/>. Opening it takes the process's standard output for the messages alone and points
/// file descriptor 1 and <see cref="Console.Out"/> at standard error, so nothing a plugin prints (managed or
/// native) can break a message.
/// </summary>
public sealed class WorkerChannel : ITrainingObserver, IDisposable
{
    /// <summary>The worker's exit code when its host is gone (its standard input ended).</summary>
    public const int HostGoneExitCode = 70;

    private readonly StreamWriter _output;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _acks = new(0);
    private readonly CancellationTokenSource _cancel = new();

    private WorkerChannel(StreamWriter output)
    {
        _output = output;
        new Thread(ListenToHost) { IsBackground = true, Name = "host input" }.Start();
    }

    /// <summary>Cancelled when the host asks the run to stop.</summary>
    public CancellationToken Cancellation => _cancel.Token;

    public static WorkerChannel Open()
    {
        int messages = dup(1);
        if (messages < 0 || dup2(2, 1) < 0)
            throw new IOException($"worker: cannot take standard output for messages (errno {Marshal.GetLastPInvokeError()})");
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        Console.SetOut(stderr);
        var stream = new FileStream(new SafeFileHandle(messages, ownsHandle: true), FileAccess.Write, bufferSize: 1 << 16);
        return new WorkerChannel(new StreamWriter(stream, new UTF8Encoding(false)));
    }

    public void Send(WorkerMessage message)
    {
        var line = message.ToJson();
        lock (_lock)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    public void Log(string text) => Send(new WorkerMessage(WorkerMessage.Log) { Text = text });

    public void OnEpochStarting(int epoch, int firstEpoch, int lastEpoch) =>
        Send(new WorkerMessage(WorkerMessage.EpochStarting) { EpochNumber = epoch, FirstEpoch = firstEpoch, LastEpoch = lastEpoch });

    public void OnEpoch(EpochRecord epoch) => Send(new WorkerMessage(WorkerMessage.Epoch) { Record = epoch });

    public void OnEvaluation(int epoch, EvaluationResult result, bool isBest) =>
        Send(new WorkerMessage(WorkerMessage.Evaluation) { EpochNumber = epoch, Result = result, IsBest = isBest });

    /// <summary>Returns once the host has recorded the checkpoint: the file replaces the previous one only then.</summary>
    public void OnCheckpoint(Checkpoint checkpoint, bool isBest)
    {
        Send(new WorkerMessage(WorkerMessage.Checkpoint) { Saved = checkpoint, IsBest = isBest });
        _acks.Wait();
    }

    public void OnCheckpointsRejected(string warning, int resumeEpoch) =>
        Send(new WorkerMessage(WorkerMessage.CheckpointsRejected) { Text = warning, EpochNumber = resumeEpoch });

    private void ListenToHost()
    {
        using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        try
        {
            while (input.ReadLine() is { } line)
            {
                if (line == WorkerMessage.Ack) _acks.Release();
                else if (line == WorkerMessage.Cancel) _cancel.Cancel();
            }
        }
        catch (IOException) { }
        // Nobody records what this process would do from here on: stop before it writes another checkpoint.
        Environment.Exit(HostGoneExitCode);
    }

    public void Dispose()
    {
        lock (_lock) _output.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int dup(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldFd, int newFd);
}
