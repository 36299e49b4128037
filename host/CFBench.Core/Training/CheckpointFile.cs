using System.Text.Json;
using CFBench.Contracts;

namespace CFBench.Core.Training;

/// <summary>
/// A checkpoint on disk: the trainer state and the model's own checkpoint in one file, written to a temporary
/// name and renamed, so a crash leaves either the previous checkpoint or the new one, never half of one.
/// </summary>
public static class CheckpointFile
{
    private const string Magic = "CFBENCH-CKPT-1";
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <param name="beforeReplace">Runs after the new checkpoint is on disk and before it replaces the old one. The run
    /// store records the checkpoint there: if the process dies between the two, the store is ahead of the file by at
    /// most one epoch, which the resumed run records again (records are upserts); the other order would lose one.</param>
    public static void Write(string path, TrainingState state, IRecommender model, Action? beforeReplace = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(JsonSerializer.Serialize(state, StateJson));
            }
            model.SaveCheckpoint(stream);
            stream.Flush(flushToDisk: true);
        }
        beforeReplace?.Invoke();
        File.Move(temporary, path, overwrite: true);
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
