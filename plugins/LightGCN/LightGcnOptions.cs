using CFBench.Contracts;
using CFBench.Sdk;
using CFBench.Sdk.Graph;
using CFBench.Sdk.Propagation;

namespace CFBench.Plugins.LightGCN;

/// <summary>How the final embedding is formed from the layer embeddings E^(0..K).</summary>
public enum LayerCombination
{
    /// <summary>α_k = 1/(K+1) for every layer (LightGCN).</summary>
    Mean,
    /// <summary>Only E^(K) (LightGCN-single, the paper's ablation).</summary>
    Single,
}

/// <summary>The resolved hyper-parameters of one LightGCN run.</summary>
public sealed record LightGcnOptions(
    int Layers,
    LayerCombination Combination,
    Normalization Normalization,
    int Dim,
    double LearningRate,
    int BatchSize,
    double Reg,
    double InitStd,
    PairSampling Sampling,
    PropagationKernel Kernel,
    int MaxBag)
{
    public static readonly IReadOnlyList<HyperParameter> Declared = new[]
    {
        HyperParameter.Int("layers", 3, "number of light graph convolution layers K", 1, 4),
        HyperParameter.Choice("combination", "mean",
            "layer combination: mean = α_k = 1/(K+1) over E^(0..K) (LightGCN); single = E^(K) only (LightGCN-single)",
            "mean", "single"),
        HyperParameter.Choice("norm", "sym",
            "coefficient c(t,n) of neighbour n aggregated into target t (left = target): sym 1/(√|N_t|√|N_n|); " +
            "L 1/√|N_t|; R 1/√|N_n|; L1 1/(|N_t||N_n|); L1-L 1/|N_t|; L1-R 1/|N_n| (the paper's Table 5)",
            NormalizationNames.All),
        HyperParameter.Int("dim", 64, "embedding size", 1, 4096),
        HyperParameter.Float("lr", 0.001, "Adam learning rate", 1e-8, 1.0),
        HyperParameter.Int("batch", 2048, "BPR triplets per mini-batch", 1, 1 << 22),
        HyperParameter.Float("reg", 1e-4,
            "L2 weight λ on the batch's layer-0 embeddings: λ·½(|u⁰|²+|i⁰|²+|j⁰|²)/batch, as the official code", 0.0, 10.0),
        HyperParameter.Float("init_std", 0.1, "layer-0 embeddings ~ N(0, init_std) (official PyTorch port)", 1e-6, 10.0),
        HyperParameter.Choice("sampling", "user-uniform",
            "pair sampling per epoch: user-uniform = |train| draws of a uniform user and one of its items (official code); " +
            "edge-permutation = every training edge once in random order; one uniform negative per pair, rejected if positive",
            "user-uniform", "edge-permutation"),
        PropagationParameters.Kernel,
        PropagationParameters.MaxBag,
    };

    public static LightGcnOptions From(ModelParameters p) => new(
        Layers: (int)p.Int("layers"),
        Combination: p.Choice("combination") == "single" ? LayerCombination.Single : LayerCombination.Mean,
        Normalization: NormalizationNames.Parse(p.Choice("norm")),
        Dim: (int)p.Int("dim"),
        LearningRate: p.Float("lr"),
        BatchSize: (int)p.Int("batch"),
        Reg: p.Float("reg"),
        InitStd: p.Float("init_std"),
        Sampling: p.Choice("sampling") == "edge-permutation" ? PairSampling.EdgePermutation : PairSampling.UserUniform,
        Kernel: PropagationParameters.KernelOf(p),
        MaxBag: PropagationParameters.MaxBagOf(p));

    /// <summary>The declared defaults with <paramref name="overrides"/> applied (validated), as the host resolves them.</summary>
    public static ModelParameters Resolve(IReadOnlyDictionary<string, object>? overrides = null)
    {
        var values = Declared.ToDictionary(h => h.Name, h => h.Default);
        foreach (var (name, value) in overrides ?? new Dictionary<string, object>())
        {
            var declared = Declared.FirstOrDefault(h => h.Name == name)
                ?? throw new ArgumentException($"LightGCN has no parameter '{name}'");
            values[name] = declared.Validate(value);
        }
        return new ModelParameters(values);
    }
}
