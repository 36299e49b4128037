using TorchSharp;

namespace CFBench.Contracts;

/// <summary>Where and how a model runs: the device, the run's seed (a plugin draws all its randomness —
/// initialisation, data order, negatives — from generators seeded by it), and a log sink.</summary>
public sealed record RunContext(torch.Device Device, long Seed, Action<string> Log)
{
    /// <summary>A generator on the run's device, seeded from the run seed and a stream number, so that
    /// separate random streams (init, sampling) stay independent and repeatable.</summary>
    public torch.Generator CreateGenerator(int stream = 0) =>
        new((ulong)HashCode.Combine(Seed, stream) & 0x7fffffff_ffffffffUL, Device);
}
