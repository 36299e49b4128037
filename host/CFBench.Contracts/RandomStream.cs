using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Contracts;

/// <summary>
/// One of a run's seeded random streams (<see cref="RunContext.CreateRandom"/>), for every random draw a model makes
/// while training: dropout masks, Gaussian noise, Bernoulli draws, permutations. Draws come from a CPU generator and
/// are moved to the run's device, so a seed gives the same numbers on every device and in every process; the
/// generator's state goes into the model's checkpoint (<see cref="Save"/>, <see cref="Load"/>), so a resumed run
/// draws what an uninterrupted one would have. Never use libtorch's global generator (<c>nn.functional.dropout</c>,
/// <c>torch.randn</c> without a generator): it is shared, unseeded by the run and not checkpointed.
/// </summary>
public sealed class RandomStream : IDisposable
{
    private readonly Device _device;

    public RandomStream(long seed, int stream, Device device)
    {
        Generator = new Generator(RunContext.StreamSeed(seed, stream), CPU);
        _device = device;
    }

    /// <summary>The CPU generator behind the stream (for samplers that take one).</summary>
    public Generator Generator { get; }

    /// <summary>float32 draws from N(0, std²), on the run's device.</summary>
    public Tensor Normal(long[] shape, double std = 1.0)
    {
        using var drawn = empty(shape, dtype: float32).normal_(0, std, Generator);
        return drawn.to(_device);
    }

    /// <summary>float32 draws from U[0, 1), on the run's device.</summary>
    public Tensor Uniform(long[] shape)
    {
        using var drawn = rand(shape, dtype: float32, generator: Generator);
        return drawn.to(_device);
    }

    /// <summary>float32 ones with probability <paramref name="p"/>, zeros otherwise, on the run's device.</summary>
    public Tensor Bernoulli(long[] shape, double p)
    {
        using var drawn = empty(shape, dtype: float32).bernoulli_(p, Generator);
        return drawn.to(_device);
    }

    /// <summary>A random permutation of 0..n-1 (int64), on the run's device.</summary>
    public Tensor Permutation(long n)
    {
        using var drawn = randperm(n, dtype: int64, generator: Generator);
        return drawn.to(_device);
    }

    /// <summary>Inverted dropout for training: each element of <paramref name="x"/> is zeroed with probability
    /// <paramref name="p"/> and the rest scaled by 1/(1-p); differentiable in x. Call it only while training (scoring
    /// uses x as is). p = 0 returns x.</summary>
    public Tensor Dropout(Tensor x, double p)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout rate {p} is outside [0, 1)");
        if (p == 0) return x;
        using var mask = Bernoulli(x.shape, 1 - p);
        if (mask.dtype != x.dtype) return x * mask.to(x.dtype) * (1.0 / (1 - p));
        return x * mask * (1.0 / (1 - p));
    }

    public void Save(BinaryWriter writer, string name) => CheckpointIO.WriteGenerator(writer, name, Generator);

    public void Load(BinaryReader reader, string name) => CheckpointIO.ReadGeneratorInto(reader, name, Generator);

    public void Dispose() => Generator.Dispose();
}
