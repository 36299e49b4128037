using CFBench.Contracts;

namespace CFBench.Plugins.LightGCN;

/// <summary>LightGCN (He et al., SIGIR 2020) and the variants of its paper's ablations.</summary>
public sealed class LightGcnProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "LightGCN",
        Family: "graph",
        Paper: "He, Deng, Wang, Li, Zhang, Wang. LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation. SIGIR 2020",
        Description: "Layer-0 user/item embeddings propagated by light graph convolution (no weights, no non-linearity, " +
                     "no self-loops) over the normalized user–item graph, layers combined, inner-product score; BPR + L2, Adam.",
        Parameters: LightGcnOptions.Declared,
        Variants: BuildVariants());

    public IRecommender Create() => new LightGcnRecommender();

    private static IReadOnlyList<ModelVariant> BuildVariants()
    {
        var variants = new List<ModelVariant>();
        for (int k = 1; k <= 4; k++)
            variants.Add(new ModelVariant($"K{k}", $"LightGCN with {k} layer(s), mean combination, symmetric norm (Table 3 row '{k} Layer')",
                new Dictionary<string, object> { ["layers"] = (long)k }));
        for (int k = 1; k <= 4; k++)
            variants.Add(new ModelVariant($"K{k}-single", $"LightGCN-single with {k} layer(s): only E^({k}) is used (Figure 4 ablation)",
                new Dictionary<string, object> { ["layers"] = (long)k, ["combination"] = "single" }));
        // Table 5 (3 layers). The paper writes the L1 rows with a subscript (LightGCN-L₁-L, LightGCN-L₁-R, LightGCN-L₁);
        // text extractions that drop it print them as LightGCN-L-L and LightGCN-L-R.
        (string Name, string Norm, string Row)[] table5 =
        {
            ("K3-L1-L", "L1-L", "LightGCN-L₁-L (printed LightGCN-L-L without the subscript): c = 1/|N_t|, L1 norm on the target (left) side only"),
            ("K3-L1-R", "L1-R", "LightGCN-L₁-R (printed LightGCN-L-R without the subscript): c = 1/|N_n|, L1 norm on the neighbour (right) side only"),
            ("K3-L1", "L1", "LightGCN-L₁: c = 1/(|N_t|·|N_n|), L1 norm on both sides"),
            ("K3-L", "L", "LightGCN-L: c = 1/√|N_t|, square-root norm on the target (left) side only"),
            ("K3-R", "R", "LightGCN-R: c = 1/√|N_n|, square-root norm on the neighbour (right) side only"),
        };
        foreach (var (name, norm, row) in table5)
            variants.Add(new ModelVariant(name, $"3-layer LightGCN, Table 5 row {row}",
                new Dictionary<string, object> { ["layers"] = 3L, ["norm"] = norm }));
        return variants;
    }
}
