using static TorchSharp.torch;

namespace CFBench.Contracts;

/// <summary>
/// What an upstream run exported (<see cref="IExportsWeights"/>): float32 tensors by name, on the CPU. A
/// downstream run receives one per role in <see cref="RunContext.Upstream"/> (NeuMF: <c>gmf</c>, <c>mlp</c>).
/// The tensors belong to this object; copy what you keep.
/// </summary>
public sealed class PretrainedWeights : IDisposable
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    public PretrainedWeights(string source, IReadOnlyDictionary<string, Tensor> tensors)
    {
        Source = source;
        _tensors = tensors;
    }

    /// <summary>Where the weights came from (the upstream run), for messages.</summary>
    public string Source { get; }

    public IEnumerable<string> Names => _tensors.Keys;

    /// <summary>The tensor called <paramref name="name"/>, checked to have <paramref name="shape"/> when given.</summary>
    public Tensor Get(string name, long[]? shape = null)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
            throw new InvalidDataException($"{Source}: no weight '{name}' (it has {string.Join(", ", _tensors.Keys)})");
        if (shape is not null && !tensor.shape.SequenceEqual(shape))
            throw new InvalidDataException($"{Source}: weight '{name}' is [{string.Join(", ", tensor.shape)}], expected [{string.Join(", ", shape)}]");
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values) tensor.Dispose();
    }
}

/// <summary>A model whose trained weights other runs can start from (pretraining). After a run's best epoch is
/// restored, the host saves <see cref="ExportWeights"/> to a weights file beside its checkpoints and records it.</summary>
public interface IExportsWeights
{
    /// <summary>The weights by name (e.g. <c>user_embedding</c>, <c>layer0.weight</c>); the host copies them.</summary>
    IReadOnlyDictionary<string, Tensor> ExportWeights();
}
