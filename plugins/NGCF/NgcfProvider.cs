using CFBench.Contracts;

namespace CFBench.Plugins.NGCF;

/// <summary>NGCF (Wang et al., SIGIR 2019) and the rows of it in LightGCN's Tables 1 and 3.</summary>
public sealed class NgcfProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "NGCF",
        Family: "graph",
        Paper: "Wang, He, Wang, Feng, Chua. Neural Graph Collaborative Filtering. SIGIR 2019 " +
               "(ablations: He et al. LightGCN, SIGIR 2020, Tables 1 and 3)",
        Description: "Layer-0 user/item embeddings refined by embedding propagation layers (L·E and the bi-interaction " +
                     "E ⊙ L·E, each transformed by W and LeakyReLU; node and message dropout), layer outputs " +
                     "L2-normalised and concatenated with E⁽⁰⁾, inner-product score; BPR + L2 on the final embeddings, " +
                     "Adam, the official code's user-batch sampler. Defaults follow the official TensorFlow code.",
        Parameters: NgcfOptions.Declared,
        Variants: BuildVariants());

    public IRecommender Create() => new NgcfRecommender();

    private static IReadOnlyList<ModelVariant> BuildVariants()
    {
        static long[] Layers(int k) => Enumerable.Repeat(64L, k).ToArray();
        var variants = new List<ModelVariant>();
        for (int k = 1; k <= 4; k++)
            variants.Add(new ModelVariant($"NGCF-{k}", $"NGCF with {k} layer(s) of 64, official code (LightGCN's Table 3 row '{k} Layer')",
                new Dictionary<string, object> { ["layer_sizes"] = Layers(k) }));
        // LightGCN's Table 1 (2 layers): the layers are summed instead of concatenated so every variant's final embedding
        // has the same size. "NGCF-2-sum" is the table's NGCF row (NGCF-2 is Table 3's concatenating 2-layer model).
        (string Name, bool Transform, bool Nonlinearity, string Row)[] table1 =
        {
            ("NGCF-2-sum", true, true, "NGCF"),
            ("NGCF-2-f", false, true, "NGCF-f: without the feature transformations W1, W2 (and their biases)"),
            ("NGCF-2-n", true, false, "NGCF-n: without the non-linearity σ"),
            ("NGCF-2-fn", false, false, "NGCF-fn: without W1, W2 and σ"),
        };
        foreach (var (name, transform, nonlinearity, row) in table1)
            variants.Add(new ModelVariant(name, $"2-layer NGCF, layers summed, LightGCN's Table 1 row {row}",
                new Dictionary<string, object>
                {
                    ["layer_sizes"] = Layers(2),
                    ["combination"] = "sum",
                    ["transform"] = transform,
                    ["nonlinearity"] = nonlinearity,
                }));
        return variants;
    }
}
