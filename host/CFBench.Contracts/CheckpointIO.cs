using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Contracts;

/// <summary>Helpers for <see cref="IRecommender.SaveCheckpoint"/>: named tensors and generator states in one
/// stream, read back in the same order.</summary>
public static class CheckpointIO
{
    public static void WriteTensor(BinaryWriter writer, string name, Tensor tensor)
    {
        writer.Write(name);
        tensor.detach().cpu().Save(writer);
    }

    /// <summary>Reads a tensor written by <see cref="WriteTensor"/> into <paramref name="target"/> (same shape).</summary>
    public static void ReadTensorInto(BinaryReader reader, string name, Tensor target)
    {
        var found = reader.ReadString();
        if (found != name) throw new InvalidDataException($"checkpoint holds '{found}' where '{name}' was expected");
        using var noGrad = no_grad();
        using var loaded = zeros(target.shape, target.dtype);
        loaded.Load(reader);
        target.copy_(loaded);
    }

    public static void WriteGenerator(BinaryWriter writer, string name, Generator generator)
    {
        using var state = generator.get_state();
        WriteTensor(writer, name, state);
    }

    public static void ReadGeneratorInto(BinaryReader reader, string name, Generator generator)
    {
        using var current = generator.get_state();
        using var state = zeros_like(current);
        ReadTensorInto(reader, name, state);
        generator.set_state(state);
    }
}
