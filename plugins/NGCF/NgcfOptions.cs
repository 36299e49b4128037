using CFBench.Contracts;
using CFBench.Sdk.Graph;
using CFBench.Sdk.Propagation;

namespace CFBench.Plugins.NGCF;

/// <summary>Which form of the embedding propagation layer is used.</summary>
public enum LayerForm
{
    /// <summary>The official code: E' = σ(L·E·W1 + b1) + σ((E ⊙ L·E)·W2 + b2).</summary>
    Official,
    /// <summary>The paper's Eq. 7: E' = σ((L+I)·E·W1 + (L·E ⊙ E)·W2), no biases.</summary>
    Paper,
}

/// <summary>How the final embedding is formed from E⁽⁰⁾ and the L2-normalised layer outputs.</summary>
public enum NgcfCombination
{
    /// <summary>[E⁽⁰⁾ ‖ Ê⁽¹⁾ ‖ … ‖ Ê⁽ᴷ⁾] (official code and paper).</summary>
    Concat,
    /// <summary>E⁽⁰⁾ + Ê⁽¹⁾ + … + Ê⁽ᴷ⁾ (LightGCN's Table 1 setting, same size at every depth).</summary>
    Sum,
}

/// <summary>The resolved hyper-parameters of one NGCF run.</summary>
public sealed record NgcfOptions(
    long[] LayerSizes,
    int Dim,
    LayerForm Form,
    bool Transform,
    bool Nonlinearity,
    NgcfCombination Combination,
    string Adjacency,
    double MessageDropout,
    double NodeDropout,
    double LearningRate,
    int BatchSize,
    double Reg,
    PropagationKernel Kernel,
    int MaxBag)
{
    public int Layers => LayerSizes.Length;

    /// <summary>The adjacency choices, with the official code's <c>adj_type</c> each one matches.</summary>
    public static readonly string[] Adjacencies = { "norm", "sym", "plain", "mean" };

    public static readonly IReadOnlyList<HyperParameter> Declared = new[]
    {
        HyperParameter.IntList("layer_sizes", new long[] { 64, 64, 64 },
            "output size of each propagation layer (the official layer_size); its length is the number of layers", 1, 4096, 1, 8),
        HyperParameter.Int("dim", 64, "layer-0 embedding size (embed_size)", 1, 4096),
        HyperParameter.Choice("layer_form", "official",
            "official = σ(L·E·W1 + b1) + σ((E ⊙ L·E)·W2 + b2) (NGCF.py, default); paper = σ((L+I)·E·W1 + (L·E ⊙ E)·W2) " +
            "without biases (the paper's Eq. 7)", "official", "paper"),
        HyperParameter.Bool("transform", true,
            "feature transformations W1, W2 (and the official biases); false = NGCF-f of LightGCN's Table 1 (needs every layer size = dim)"),
        HyperParameter.Bool("nonlinearity", true, "σ = LeakyReLU(0.2); false = identity, NGCF-n of LightGCN's Table 1"),
        HyperParameter.Choice("combination", "concat",
            "final embedding from E⁽⁰⁾ and the L2-normalised layer outputs: concat (official code and paper) or sum " +
            "(LightGCN's Table 1 setting)", "concat", "sum"),
        HyperParameter.Choice("adjacency", "norm",
            "L: norm = D⁻¹(A+I) (official default adj_type 'norm'); sym = D^-½·A·D^-½ (the paper's Laplacian, Eq. 8); " +
            "plain = A (adj_type 'plain'); mean = D⁻¹A (the code's mean_adj, its adj_type 'gcmc')", Adjacencies),
        HyperParameter.Float("message_dropout", 0.1,
            "inverted dropout rate on every layer's output, training only (official mess_dropout [0.1,0.1,0.1])", 0.0, 0.99),
        HyperParameter.Float("node_dropout", 0.0,
            "rate at which each entry of L is dropped (the rest scaled by 1/(1-p)) for one mini-batch, training only; " +
            "0 = off (official node_dropout_flag 0)", 0.0, 0.99),
        HyperParameter.Float("lr", 1e-4, "Adam learning rate (official: 1e-4 on Gowalla, 5e-4 on Amazon-Book)", 1e-8, 1.0),
        HyperParameter.Int("batch", 1024,
            "distinct users per mini-batch, one positive and one negative each; |train|/batch + 1 batches an epoch (official sampler)", 1, 1 << 22),
        HyperParameter.Float("reg", 1e-5,
            "L2 weight λ on the batch's final embeddings: λ·½(|u*|²+|i*|²+|j*|²)/batch (official regs[0])", 0.0, 10.0),
        PropagationParameters.Kernel,
        PropagationParameters.MaxBag,
    };

    public static NgcfOptions From(ModelParameters p) => new(
        LayerSizes: p.IntList("layer_sizes"),
        Dim: (int)p.Int("dim"),
        Form: p.Choice("layer_form") == "paper" ? LayerForm.Paper : LayerForm.Official,
        Transform: p.Bool("transform"),
        Nonlinearity: p.Bool("nonlinearity"),
        Combination: p.Choice("combination") == "sum" ? NgcfCombination.Sum : NgcfCombination.Concat,
        Adjacency: p.Choice("adjacency"),
        MessageDropout: p.Float("message_dropout"),
        NodeDropout: p.Float("node_dropout"),
        LearningRate: p.Float("lr"),
        BatchSize: (int)p.Int("batch"),
        Reg: p.Float("reg"),
        Kernel: PropagationParameters.KernelOf(p),
        MaxBag: PropagationParameters.MaxBagOf(p));

    /// <summary>The propagation matrix L the <c>adjacency</c> choice names.</summary>
    public NormalizedAdjacency BuildAdjacency(TrainingSet train) => Adjacency switch
    {
        "norm" => NormalizedAdjacency.Build(train, Normalization.L1L, selfLoops: true),
        "sym" => NormalizedAdjacency.Build(train, Normalization.Sym),
        "plain" => NormalizedAdjacency.Build(train, Normalization.None),
        "mean" => NormalizedAdjacency.Build(train, Normalization.L1L),
        _ => throw new ArgumentException($"NGCF: unknown adjacency '{Adjacency}' (expected one of {string.Join(", ", Adjacencies)})"),
    };

    /// <summary>Throws a one-line error when the sizes cannot work together.</summary>
    public void Validate()
    {
        string? needsDim = !Transform ? "without transform (NGCF-f)" : Combination == NgcfCombination.Sum ? "with summed layers" : null;
        if (needsDim is not null && LayerSizes.Any(size => size != Dim))
            throw new ArgumentException($"NGCF: {needsDim} every layer keeps the embedding size, but layer_sizes " +
                                        $"[{string.Join(", ", LayerSizes)}] differ from dim {Dim}");
    }

    /// <summary>Width of the final embedding.</summary>
    public long FinalWidth => Combination == NgcfCombination.Concat ? Dim + LayerSizes.Sum() : Dim;
}
