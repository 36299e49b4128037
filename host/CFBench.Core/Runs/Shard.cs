using System.Globalization;

namespace CFBench.Core.Runs;

/// <summary>One of <see cref="Count"/> parts of a suite, numbered from 1 (<c>--shard 2/3</c>, Slurm array task 2).</summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Reads <c>i/n</c> with 1 ≤ i ≤ n; anything else is an <see cref="ArgumentException"/> naming the option.</summary>
    public static Shard Parse(string text, string option = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
            return new Shard(index, count);
        throw new ArgumentException($"{option}: '{text}' is not i/n with 1 <= i <= n (e.g. 2/3)");
    }

    public override string ToString() => $"{Index}/{Count}";
}
