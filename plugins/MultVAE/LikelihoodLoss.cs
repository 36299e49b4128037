using static TorchSharp.torch;

namespace CFBench.Plugins.MultVAE;

/// <summary>The paper's three observation models p(x_u | z_u) over the decoder output f_u (Liang et al. 2018, §2.2).</summary>
public enum Likelihood { Multinomial, Gaussian, Logistic }

/// <summary>
/// −log p(x | z) of a batch, summed over items and averaged over users, from the decoder's logits f and the batch's
/// observed entries (x = 1) given as flat indices b·items + i. x is binary, so every term over all items is written as
/// a dense sum over f plus a correction on the observed entries: no dense copy of x is made.
/// </summary>
internal static class LikelihoodLoss
{
    public static readonly string[] Names = { "multinomial", "gaussian", "logistic" };

    public static Likelihood Parse(string name) => name switch
    {
        "multinomial" => Likelihood.Multinomial,
        "gaussian" => Likelihood.Gaussian,
        "logistic" => Likelihood.Logistic,
        _ => throw new ArgumentException($"MultVAE: unknown likelihood '{name}' (expected {string.Join(", ", Names)})"),
    };

    /// <param name="positiveWeight">Gaussian c1 (weight of x = 1 entries).</param>
    /// <param name="negativeWeight">Gaussian c0 (weight of x = 0 entries).</param>
    public static Tensor NegativeLogLikelihood(Likelihood likelihood, Tensor logits, Tensor observed,
        double positiveWeight, double negativeWeight)
    {
        long users = logits.shape[0];
        switch (likelihood)
        {
            case Likelihood.Multinomial:
            {
                // −Σ_i x_i·log softmax(f)_i
                var logProbabilities = nn.functional.log_softmax(logits, 1);
                return logProbabilities.reshape(-1).index_select(0, observed).sum().neg() / users;
            }
            case Likelihood.Gaussian:
            {
                // Σ_i c_{x_i}/2·(x_i − f_i)² = c0/2·Σ_i f_i² + Σ_{x_i=1} [c1/2·(1 − f_i)² − c0/2·f_i²]
                var f = logits.reshape(-1).index_select(0, observed);
                var all = logits.square().sum() * (negativeWeight / 2);
                var correction = ((1 - f).square() * (positiveWeight / 2) - f.square() * (negativeWeight / 2)).sum();
                return (all + correction) / users;
            }
            case Likelihood.Logistic:
            {
                // −Σ_i [x_i·log σ(f_i) + (1 − x_i)·log(1 − σ(f_i))] = Σ_i softplus(f_i) − Σ_{x_i=1} f_i
                var f = logits.reshape(-1).index_select(0, observed);
                return (nn.functional.softplus(logits).sum() - f.sum()) / users;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(likelihood), likelihood, null);
        }
    }
}
