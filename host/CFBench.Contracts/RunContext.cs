using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Contracts;

/// <summary>Where and how a model runs: the device, the run's seed (a plugin draws all its randomness —
/// initialisation, data order, negatives, dropout — from streams seeded by it), a log sink, and the weights of the
/// upstream runs it depends on (<see cref="ModelVariant.Requires"/>).</summary>
public sealed record RunContext(Device Device, long Seed, Action<string> Log)
{
    /// <summary>Exported weights of the runs this one depends on, by role (empty for most models).</summary>
    public IReadOnlyDictionary<string, PretrainedWeights> Upstream { get; init; } = new Dictionary<string, PretrainedWeights>();

    /// <summary>
    /// A generator seeded from the run seed and a stream number, so separate random streams (init, sampling) stay
    /// independent and repeatable. Generators live on the CPU: a seed then gives the same numbers on every device,
    /// and CUDA generators crash the PyTorch 2.11 libtorch that TorchSharp runs on there. Draw on the CPU and move
    /// the result (<see cref="Normal"/>, the SDK's samplers and <see cref="RandomStream"/> do).
    /// </summary>
    public Generator CreateGenerator(int stream = 0) => new(StreamSeed(Seed, stream), CPU);

    /// <summary>A seeded stream of dropout masks, noise and permutations on the run's device (see
    /// <see cref="RandomStream"/>); <paramref name="stream"/> numbers keep a model's streams independent.</summary>
    public RandomStream CreateRandom(int stream) => new(Seed, stream, Device);

    /// <summary>A float32 tensor of N(0, std²) draws from <paramref name="generator"/>, on the run's device.</summary>
    public Tensor Normal(long[] shape, double std, Generator generator)
    {
        using var drawn = empty(shape, dtype: float32).normal_(0, std, generator);
        return drawn.to(Device);
    }

    /// <summary>SplitMix64 of the seed and the stream: stable across processes and platforms.</summary>
    public static ulong StreamSeed(long seed, int stream)
    {
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (z ^ (z >> 31)) & 0x7fffffff_ffffffffUL;
    }
}
