using CFBench.Contracts;

namespace CFBench.Plugins.MultVAE;

/// <summary>Mult-VAE^PR and Mult-DAE (Liang et al., WWW 2018) with the paper's three likelihoods, and Mult-VAE with β = 1.</summary>
public sealed class MultVaeProvider : IModelProvider
{
    public ModelInfo Info { get; } = new(
        Name: "MultVAE",
        Family: "autoencoder",
        Paper: "D. Liang, R. G. Krishnan, M. D. Hoffman, T. Jebara. Variational Autoencoders for Collaborative Filtering. WWW 2018",
        Description: "Variational (β-annealed KL, z = μ when scoring) or denoising autoencoder over a user's L2-normalised, " +
                     "dropped-out click row, with a multinomial, Gaussian or logistic likelihood; Adam, batches of 500 users. " +
                     "Follows the official notebook dawenl/vae_cf (VAE_ML20M_WWW2018.ipynb). Inductive: scores any user from " +
                     "the items in the request's history.",
        Parameters: MultVaeOptions.Declared,
        Variants: BuildVariants(),
        Inductive: true);

    public IRecommender Create() => new MultVaeRecommender();

    private static IReadOnlyList<ModelVariant> BuildVariants()
    {
        var variants = new List<ModelVariant>();
        (string Prefix, string Likelihood)[] likelihoods = { ("Mult", "multinomial"), ("Gaussian", "gaussian"), ("Logistic", "logistic") };
        foreach (var (prefix, likelihood) in likelihoods)
            variants.Add(new ModelVariant($"{prefix}-VAE-PR",
                $"{prefix}-VAE^PR: [I → 600 → 200 → 600 → I], {likelihood} likelihood, β annealed to 0.2 over 200,000 updates (the paper's Table 4 row)",
                new Dictionary<string, object> { ["architecture"] = "vae", ["likelihood"] = likelihood }));
        foreach (var (prefix, likelihood) in likelihoods)
            variants.Add(new ModelVariant($"{prefix}-DAE",
                $"{prefix}-DAE: [I → 200 → I], {likelihood} likelihood, λ = 0.01/500 on the weights (notebook)",
                new Dictionary<string, object>
                {
                    ["architecture"] = "dae", ["likelihood"] = likelihood, ["hidden"] = Array.Empty<long>(), ["l2"] = MultVaeOptions.DaeL2,
                }));
        variants.Add(new ModelVariant("Mult-VAE-beta1",
            "Mult-VAE without partial regularisation: β fixed at 1 (no annealing), the plain ELBO",
            new Dictionary<string, object> { ["architecture"] = "vae", ["anneal_cap"] = 1.0, ["total_anneal_steps"] = 0L }));
        return variants;
    }
}
