using CFBench.Contracts;

namespace CFBench.Plugins.MultVAE;

/// <summary>Which autoencoder: the partially regularised VAE or the denoising autoencoder.</summary>
public enum Architecture { Vae, Dae }

/// <summary>The resolved hyper-parameters of one Mult-VAE / Mult-DAE run. Defaults are the official notebook's
/// (dawenl/vae_cf, VAE_ML20M_WWW2018.ipynb) for Mult-VAE^PR; the DAE variants set their own.</summary>
public sealed record MultVaeOptions(
    Architecture Architecture,
    Likelihood Likelihood,
    int[] Hidden,
    int Latent,
    double Dropout,
    double LearningRate,
    int BatchSize,
    double L2,
    double AnnealCap,
    long TotalAnnealSteps,
    double GaussianPositiveWeight,
    double GaussianNegativeWeight)
{
    /// <summary>The notebook's λ for Mult-DAE, 0.01 / batch size (500).</summary>
    public const double DaeL2 = 0.01 / 500;

    public static readonly IReadOnlyList<HyperParameter> Declared = new[]
    {
        HyperParameter.Choice("architecture", "vae",
            "vae = encoder to μ and log σ² (reparameterised in training, z = μ when scoring) with a β-weighted KL; " +
            "dae = deterministic encoder, no KL (denoising by the input dropout)", "vae", "dae"),
        HyperParameter.Choice("likelihood", "multinomial",
            "log p(x|z): multinomial Σ x·log softmax(f); gaussian −Σ c/2·(x − f)²; logistic Σ x·log σ(f) + (1 − x)·log(1 − σ(f)) " +
            "(the paper's Eq. 1–3); the loss is its negative, summed over items and averaged over the batch's users",
            LikelihoodLoss.Names),
        HyperParameter.IntList("hidden", new long[] { 600 },
            "encoder hidden layer sizes, mirrored by the decoder (notebook VAE: [600]; DAE: none)", 1, 100_000, 0, 8),
        HyperParameter.Int("latent", 200, "size of z (the DAE's bottleneck)", 1, 100_000),
        HyperParameter.Float("dropout", 0.5, "dropout rate on the L2-normalised input row, training only (notebook keep_prob 0.5)", 0.0, 0.99),
        HyperParameter.Float("lr", 1e-3, "Adam learning rate", 1e-8, 1.0),
        HyperParameter.Int("batch", 500, "users per mini-batch (shuffled every epoch)", 1, 1 << 20),
        HyperParameter.Float("l2", 0.0,
            "λ: the loss adds λ·Σ‖W‖² over the weight matrices (not biases), which is the notebook's 2·l2_regularizer(λ) " +
            "(TensorFlow halves the norm). Notebook: 0 for Mult-VAE, 0.01/500 for Mult-DAE", 0.0, 10.0),
        HyperParameter.Float("anneal_cap", 0.2, "the largest β (notebook anneal_cap)", 0.0, 100.0),
        HyperParameter.Int("total_anneal_steps", 200_000,
            "β = min(anneal_cap, updates / total_anneal_steps), counted in gradient updates before each update as the " +
            "notebook; 0 = β fixed at anneal_cap", 0, long.MaxValue),
        HyperParameter.Float("gaussian_c1", 1.0,
            "Gaussian likelihood: confidence weight c of observed entries (x = 1). The paper asks c1 > c0 and publishes no values", 0.0, 1e6),
        HyperParameter.Float("gaussian_c0", 0.1,
            "Gaussian likelihood: confidence weight c of unobserved entries (x = 0); CFBench's choice, the paper tunes it", 0.0, 1e6),
    };

    public static MultVaeOptions From(ModelParameters p) => new(
        Architecture: p.Choice("architecture") == "dae" ? Architecture.Dae : Architecture.Vae,
        Likelihood: LikelihoodLoss.Parse(p.Choice("likelihood")),
        Hidden: p.IntList("hidden").Select(h => (int)h).ToArray(),
        Latent: (int)p.Int("latent"),
        Dropout: p.Float("dropout"),
        LearningRate: p.Float("lr"),
        BatchSize: (int)p.Int("batch"),
        L2: p.Float("l2"),
        AnnealCap: p.Float("anneal_cap"),
        TotalAnnealSteps: p.Int("total_anneal_steps"),
        GaussianPositiveWeight: p.Float("gaussian_c1"),
        GaussianNegativeWeight: p.Float("gaussian_c0"));

    /// <summary>The declared defaults overridden by <paramref name="values"/> (tests).</summary>
    public static ModelParameters Resolve(IReadOnlyDictionary<string, object> values)
    {
        var resolved = Declared.ToDictionary(h => h.Name, h => values.TryGetValue(h.Name, out var v) ? h.Validate(v) : h.Default);
        return new ModelParameters(resolved);
    }

    /// <summary>β for the update that follows <paramref name="updates"/> earlier ones (the notebook's schedule).</summary>
    public double Beta(long updates) =>
        TotalAnnealSteps > 0 ? Math.Min(AnnealCap, (double)updates / TotalAnnealSteps) : AnnealCap;
}
