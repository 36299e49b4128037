using System.Security.Cryptography;
using System.Text.Json;
using CFBench.Contracts;

namespace CFBench.Core.Training;

/// <summary>
/// A checkpoint on disk: the trainer state and the model's own checkpoint in one file. Each checkpoint gets a new
/// file name (its kind and epoch), so the file the run store vouches for stays in place until the store vouches
/// for its successor; the store recognises its files by their SHA-256.
/// </summary>
public static class CheckpointFile
{
    private const string Magic = "CFBENCH-CKPT-1";
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The file of a <paramref name="kind"/> (<c>last</c> or <c>best</c>) checkpoint written after <paramref name="epoch"/>.</summary>
    public static string PathFor(string directory, string kind, int epoch) => Path.Combine(directory, $"{kind}-{epoch:D4}.ckpt");

    /// <summary>Writes the checkpoint, flushed to disk, and returns its SHA-256 (lowercase hex). A failed write
    /// (a full disk, a throwing plugin) deletes what it had written: no partial file is left to fill the disk.</summary>
    public static string Write(string path, TrainingState state, IRecommender model)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(JsonSerializer.Serialize(state, StateJson));
                }
                model.SaveCheckpoint(stream);
                stream.Flush(flushToDisk: true);
            }
            return Sha256(path);
        }
        catch
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the original error matters more */ }
            throw;
        }
    }

    /// <summary>Why <paramref name="checkpoint"/> cannot be restored (missing, or not the bytes the store recorded), or null when it can.</summary>
    public static string? Problem(Checkpoint checkpoint)
    {
        if (string.IsNullOrEmpty(checkpoint.Sha256)) return $"checkpoint {checkpoint.Path} has no checksum in the run store";
        if (!File.Exists(checkpoint.Path)) return $"checkpoint {checkpoint.Path} is missing";
        try
        {
            if (!string.Equals(Sha256(checkpoint.Path), checkpoint.Sha256, StringComparison.OrdinalIgnoreCase))
                return $"checkpoint {checkpoint.Path} does not match the checksum the run store recorded (corrupt or replaced)";
            if (ReadState(checkpoint.Path).Epoch != checkpoint.Epoch)
                return $"checkpoint {checkpoint.Path} does not hold epoch {checkpoint.Epoch}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
        {
            return $"checkpoint {checkpoint.Path} cannot be read: {ErrorText.FirstLine(e.Message)}";
        }
        return null;
    }

    /// <summary>Deletes the <paramref name="kind"/> checkpoints in <paramref name="directory"/> other than <paramref name="keep"/>
    /// (those it replaced, and any a killed process left half-written).</summary>
    public static void DeleteOthers(string directory, string kind, string keep)
    {
        foreach (var file in Directory.EnumerateFiles(directory, $"{kind}-*.ckpt"))
        {
            if (string.Equals(Path.GetFullPath(file), Path.GetFullPath(keep), StringComparison.Ordinal)) continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* removed with the run at the latest */ }
        }
    }

    /// <summary>Reads only the trainer state (cheap; does not touch the model).</summary>
    public static TrainingState ReadState(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Restores the model from the checkpoint and returns the trainer state saved with it.</summary>
    public static TrainingState Restore(string path, IRecommender model)
    {
        using var stream = File.OpenRead(path);
        var state = ReadHeader(stream, path);
        model.LoadCheckpoint(stream);
        return state;
    }

    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static TrainingState ReadHeader(Stream stream, string path)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path}: not a CFBench checkpoint");
            return JsonSerializer.Deserialize<TrainingState>(reader.ReadString(), StateJson)
                   ?? throw new InvalidDataException($"{path}: empty trainer state");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: truncated checkpoint");
        }
    }
}
