using CFBench.Contracts;

namespace CFBench.Plugins.NCF;

/// <summary>
/// NCF (He, Liao, Zhang, Nie, Hu, Chua, Neural Collaborative Filtering, WWW 2017) as in the official Keras code
/// (hexiangnan/neural_collaborative_filtering: GMF.py, MLP.py, NeuMF.py). Variants per predictive factors
/// f ∈ {8, 16, 32, 64}: GMF-f, MLPk-f (k = 0..4 hidden layers, layers [f·2^k, ..., f]), NeuMF-f, NeuMF-pre-f.
/// </summary>
public sealed class NcfProvider : IModelProvider
{
    public static readonly int[] FactorChoices = { 8, 16, 32, 64 };
    public const int MaxHiddenLayers = 4;

    public ModelInfo Info { get; } = new(
        Name: "NCF",
        Family: "neural collaborative filtering",
        Paper: "He, Liao, Zhang, Nie, Hu, Chua. Neural Collaborative Filtering. WWW 2017 (official code: github.com/hexiangnan/neural_collaborative_filtering)",
        Description: "GMF, MLP and NeuMF (with or without GMF/MLP pretraining) trained pointwise with the binary log loss on each " +
                     "epoch's positives plus sampled negatives, as the official Keras code: embeddings N(0, 0.01), hidden layers " +
                     "glorot_uniform, prediction layer lecun_uniform, Adam lr 0.001, batch 256, 4 negatives per positive.",
        Parameters: new[]
        {
            HyperParameter.Choice("model", "neumf", "gmf: σ(hᵀ(p_u ⊙ q_i)); mlp: ReLU tower over [p_u; q_i]; neumf: GMF and MLP with separate embeddings, [GMF; MLP] into one output unit.",
                "gmf", "mlp", "neumf"),
            HyperParameter.Int("factors", 8, "GMF embedding size (GMF.py num_factors, NeuMF.py mf_dim). For model=mlp it must equal the last layer (the MLP's predictive factors).", 1, 4096),
            HyperParameter.IntList("layers", new long[] { 64, 32, 16, 8 },
                "MLP sizes: the first entry is the user and item embeddings concatenated (each layers[0]/2, as the official MLP.py and its pretrained files; " +
                "the paper's text says 16 each for f=8, the code 32: this follows the code), then the ReLU layers. [f] alone is MLP-0 (no hidden layer).",
                1, 1 << 16, minCount: 1, maxCount: 16),
            HyperParameter.Int("negatives", 4, "Negatives drawn per positive each epoch (uniform, redrawn while the user has the item).", 0, 1000),
            HyperParameter.Float("lr", 0.001, "Learning rate of the optimiser.", 0, 10),
            HyperParameter.Int("batch_size", 256, "Instances per optimiser step.", 1, 1 << 24),
            HyperParameter.Choice("optimizer", "adam",
                "adam: Keras 1's Adam (the official README's commands, also after pretraining; the default); sgd: vanilla SGD, which the paper uses for NeuMF after pretraining.",
                "adam", "sgd"),
            HyperParameter.Bool("pretrain", false, "NeuMF only: start from the weights of a GMF and an MLP run (roles 'gmf' and 'mlp'; prediction layer 0.5·[h_GMF; h_MLP], bias 0.5·(b_GMF + b_MLP)). Set by the NeuMF-pre-f variants."),
            HyperParameter.Float("init_std", 0.01, "Standard deviation of the embeddings' normal initialisation (Keras init_normal, scale 0.01).", 0, 10),
        },
        Variants: BuildVariants());

    public IRecommender Create() => new NcfRecommender();

    /// <summary>The MLP sizes with <paramref name="hidden"/> ReLU layers ending at <paramref name="factors"/>: [f·2^k, ..., 2f, f].</summary>
    public static long[] Tower(int factors, int hidden) =>
        Enumerable.Range(0, hidden + 1).Select(k => (long)factors << (hidden - k)).ToArray();

    private static IReadOnlyList<ModelVariant> BuildVariants()
    {
        var variants = new List<ModelVariant>();
        foreach (var f in FactorChoices)
        {
            variants.Add(new ModelVariant($"GMF-{f}", $"GMF with {f} factors.",
                new Dictionary<string, object> { ["model"] = "gmf", ["factors"] = (long)f }));
            for (int k = 0; k <= MaxHiddenLayers; k++)
            {
                var layers = Tower(f, k);
                variants.Add(new ModelVariant($"MLP{k}-{f}",
                    $"MLP-{k} at {f} predictive factors: layers [{string.Join(",", layers)}], embeddings of {layers[0] / 2} each " +
                    "(the official code's sizes; the paper's text halves them)" + (k == 0 ? ", no hidden layer." : "."),
                    new Dictionary<string, object> { ["model"] = "mlp", ["factors"] = (long)f, ["layers"] = layers }));
            }
            var neumf = new Dictionary<string, object> { ["model"] = "neumf", ["factors"] = (long)f, ["layers"] = Tower(f, 3) };
            variants.Add(new ModelVariant($"NeuMF-{f}", $"NeuMF without pretraining: GMF of {f} factors and MLP-3 [{string.Join(",", Tower(f, 3))}].", neumf));
            variants.Add(new ModelVariant($"NeuMF-pre-{f}",
                $"NeuMF-{f} initialised from a GMF-{f} run and an MLP3-{f} run (dependsOn gmf, mlp); optimiser after pretraining: the 'optimizer' parameter (adam as the official README, sgd as the paper).",
                new Dictionary<string, object>(neumf) { ["pretrain"] = true },
                Requires: new[] { NeuMFPretraining.GmfRole, NeuMFPretraining.MlpRole }));
        }
        return variants;
    }
}
