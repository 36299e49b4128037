using System.Text.Json;
using System.Text.Json.Serialization;
using CFBench.Core.Protocols;
using CFBench.Core.Tracking;

namespace CFBench.Core.Runs.Worker;

/// <summary>
/// One event a worker process sends to the host that supervises it. The protocol is JSON lines:
/// <list type="bullet">
/// <item>worker → host, on the worker's standard output (nothing else is written there: the worker points its
/// standard output at its standard error before a plugin loads), one <see cref="WorkerMessage"/> per line:
/// <c>epochStarting</c>, <c>epoch</c> (the <see cref="EpochRecord"/> whole), <c>evaluation</c> (the
/// <see cref="EvaluationResult"/> whole, per-user vectors included), <c>checkpoint</c> (the <see cref="Training.Checkpoint"/>
/// with its SHA-256), <c>checkpointsRejected</c> (why the vouched checkpoints were not usable), <c>log</c>, and last one of
/// <c>finished</c> (the <see cref="RunOutcome"/>), <c>failed</c> (the cause in one line) or <c>cancelled</c>;</item>
/// <item>host → worker, on the worker's standard input: <c>ack</c> once a checkpoint is recorded (the worker waits
/// for it before the checkpoint file replaces the previous one, as in-process recording did), <c>cancel</c> on
/// Ctrl-C or SIGTERM; end of input means the host is gone, and the worker exits at once;</item>
/// <item>the worker's standard error (a plugin's own output) is shown by the host as log lines, made printable.</item>
/// </list>
/// </summary>
public sealed record WorkerMessage(string Kind)
{
    public const string EpochStarting = "epochStarting";
    public const string Epoch = "epoch";
    public const string Evaluation = "evaluation";
    public const string Checkpoint = "checkpoint";
    public const string CheckpointsRejected = "checkpointsRejected";
    public const string Log = "log";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Host → worker lines.</summary>
    public const string Ack = "ack";
    public const string Cancel = "cancel";

    public int EpochNumber { get; init; }
    public int FirstEpoch { get; init; }
    public int LastEpoch { get; init; }
    public EpochRecord? Record { get; init; }
    public EvaluationResult? Result { get; init; }
    public bool IsBest { get; init; }
    public Training.Checkpoint? Saved { get; init; }
    /// <summary>A log line, or the one-line cause of a failure.</summary>
    public string? Text { get; init; }
    public RunOutcome? Outcome { get; init; }
    /// <summary>On <c>failed</c>: the failure may not be the run's own (<see cref="ResumableFailure"/>).</summary>
    public bool Resumable { get; init; }

    /// <summary>Floats and doubles are written in their shortest round-trip form (NaN and ±∞ by name), so metrics and
    /// losses cross the boundary bit for bit.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The message on this line, or null when the line is not one (e.g. text a native library printed).</summary>
    public static WorkerMessage? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try { return JsonSerializer.Deserialize<WorkerMessage>(line, Json) is { Kind.Length: > 0 } message ? message : null; }
        catch (JsonException) { return null; }
    }
}
