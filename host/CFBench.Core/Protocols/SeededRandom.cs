namespace CFBench.Core.Protocols;

/// <summary>
/// SplitMix64: a small, fully specified generator for the host-side splits and negative draws, so that a seed gives
/// the same split on every platform and .NET version (tensor-side randomness uses torch generators instead).
/// Each random stream of a protocol has its own number.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(long seed, int stream)
    {
        _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)stream + 1) * 0xD1B54A32D192ED03UL);
    }

    public ulong NextUInt64()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int Next(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound));
        ulong b = (ulong)bound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % b);
    }

    /// <summary>Moves <paramref name="count"/> uniformly chosen elements to the front of <paramref name="items"/>
    /// (a partial Fisher–Yates shuffle).</summary>
    public void ChooseToFront(Span<int> items, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + Next(items.Length - i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
