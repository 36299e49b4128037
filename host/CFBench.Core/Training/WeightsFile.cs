using CFBench.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Core.Training;

/// <summary>
/// A run's exported weights (<see cref="IExportsWeights"/>) on disk: named float32 tensors, weights only (no optimiser
/// or generator state: that is the checkpoint's job). Written to a temporary name and renamed.
/// </summary>
public static class WeightsFile
{
    private const string Magic = "CFBENCH-WEIGHTS-1";

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> weights)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(weights.Count);
            foreach (var (name, tensor) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
                using var copy = tensor.detach().to(float32).cpu().contiguous();
                copy.Save(writer);
            }
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a weights file; <paramref name="source"/> names it in messages (e.g. the upstream run).</summary>
    public static PretrainedWeights Read(string path, string source)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{source}: weights file {path} is missing");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{source}: {path} is not a CFBench weights file");
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                tensors[name] = Tensor.Load(reader);
            }
        }
        catch (EndOfStreamException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"{source}: {path} is truncated");
        }
        return new PretrainedWeights(source, tensors);
    }
}
