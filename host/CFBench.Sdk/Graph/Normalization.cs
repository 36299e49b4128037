namespace CFBench.Sdk.Graph;

/// <summary>
/// How the light graph convolution weighs a neighbour n when it aggregates into a target node t
/// (e_t ← Σ_n c(t, n)·e_n). "Left" is the target's degree, "right" the neighbour's, as in the paper's Table 5.
/// </summary>
public enum Normalization
{
    /// <summary>1/(√|N_t|·√|N_n|): the symmetric D^-1/2 A D^-1/2 of LightGCN (default).</summary>
    Sym,
    /// <summary>1/√|N_t|: left side only (Table 5, LightGCN-L).</summary>
    L,
    /// <summary>1/√|N_n|: right side only (Table 5, LightGCN-R).</summary>
    R,
    /// <summary>1/(|N_t|·|N_n|): L1 norm on both sides (Table 5, LightGCN-L₁).</summary>
    L1,
    /// <summary>1/|N_t|: L1 norm, left side only (Table 5, LightGCN-L₁-L).</summary>
    L1L,
    /// <summary>1/|N_n|: L1 norm, right side only (Table 5, LightGCN-L₁-R).</summary>
    L1R,
    /// <summary>1: the plain adjacency (NGCF's <c>plain</c>).</summary>
    None,
}

public static class NormalizationNames
{
    /// <summary>The names used by the <c>norm</c> hyper-parameter, in declaration order.</summary>
    public static readonly string[] All = { "sym", "L", "R", "L1", "L1-L", "L1-R", "plain" };

    public static Normalization Parse(string name) => name switch
    {
        "sym" => Normalization.Sym,
        "L" => Normalization.L,
        "R" => Normalization.R,
        "L1" => Normalization.L1,
        "L1-L" => Normalization.L1L,
        "L1-R" => Normalization.L1R,
        "plain" => Normalization.None,
        _ => throw new ArgumentException($"unknown normalization '{name}' (expected one of {string.Join(", ", All)})"),
    };

    /// <summary>c(t, n) for a target of degree <paramref name="target"/> and a neighbour of degree
    /// <paramref name="neighbour"/> (both at least 1: they share an edge).</summary>
    public static double Coefficient(this Normalization norm, int target, int neighbour) => norm switch
    {
        Normalization.Sym => 1.0 / (Math.Sqrt(target) * Math.Sqrt(neighbour)),
        Normalization.L => 1.0 / Math.Sqrt(target),
        Normalization.R => 1.0 / Math.Sqrt(neighbour),
        Normalization.L1 => 1.0 / ((double)target * neighbour),
        Normalization.L1L => 1.0 / target,
        Normalization.L1R => 1.0 / neighbour,
        Normalization.None => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(norm)),
    };

    /// <summary>Whether c(t, n) = c(n, t), i.e. the propagation matrix is its own transpose.</summary>
    public static bool IsSymmetric(this Normalization norm) => norm is Normalization.Sym or Normalization.L1 or Normalization.None;
}
