using CFBench.Contracts;

namespace CFBench.Core.Protocols;

/// <summary>A validation split drawn from training data: the model trains on <see cref="Fit"/> and is selected on
/// <see cref="Held"/> (same user rows).</summary>
public sealed record ValidationSplit(InteractionMatrix Fit, InteractionMatrix Held)
{
    /// <summary>
    /// Holds out round(<paramref name="fraction"/> × n) of each user's n training items (at least 1, at most n − 1),
    /// for users with at least 2 items, chosen uniformly with the seed.
    /// </summary>
    public static ValidationSplit ByFraction(InteractionMatrix train, double fraction, long seed) =>
        Draw(train, n => (int)Math.Clamp(Math.Floor(fraction * n + 0.5), 1, n - 1), new SeededRandom(seed, Streams.ValidationSplit));

    /// <summary>Holds out one uniformly chosen training item of each user with at least 2 items (leave-one-out).</summary>
    public static ValidationSplit LeaveOneOut(InteractionMatrix train, long seed) =>
        Draw(train, _ => 1, new SeededRandom(seed, Streams.ValidationSplit));

    private static ValidationSplit Draw(InteractionMatrix train, Func<int, int> heldCount, SeededRandom random)
    {
        var fitRows = new List<int>(train.Count);
        var fitCols = new List<int>(train.Count);
        var heldRows = new List<int>();
        var heldCols = new List<int>();
        var buffer = new int[0];
        for (int u = 0; u < train.Rows; u++)
        {
            var items = train.Row(u);
            int n = items.Length, held = n >= 2 ? heldCount(n) : 0;
            if (buffer.Length < n) buffer = new int[Math.Max(n, buffer.Length * 2)];
            var span = buffer.AsSpan(0, n);
            items.CopyTo(span);
            random.ChooseToFront(span, held);
            for (int i = 0; i < n; i++)
            {
                (i < held ? heldRows : fitRows).Add(u);
                (i < held ? heldCols : fitCols).Add(span[i]);
            }
        }
        return new ValidationSplit(
            InteractionMatrix.FromPairs(train.Rows, train.Columns, fitRows.ToArray(), fitCols.ToArray()),
            InteractionMatrix.FromPairs(train.Rows, train.Columns, heldRows.ToArray(), heldCols.ToArray()));
    }
}

/// <summary>Stream numbers of the protocols' random draws, so each draw is independent of the others.</summary>
internal static class Streams
{
    public const int ValidationSplit = 101;
    public const int ValidationNegatives = 102;
    public const int TestNegatives = 103;
}
