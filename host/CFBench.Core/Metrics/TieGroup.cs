namespace CFBench.Core.Metrics;

/// <summary>
/// Relevant items of one user that share one score: the items with a higher score occupy ranks
/// <c>[0, Start)</c>, and the <see cref="Size"/> items with this score (of which <see cref="Relevant"/> are relevant)
/// occupy ranks <c>[Start, Start + Size)</c> in an order decided by the tie policy. Ranks count from 0.
/// </summary>
public readonly record struct TieGroup(long Start, long Size, int Relevant)
{
    public long End => Start + Size;
}
