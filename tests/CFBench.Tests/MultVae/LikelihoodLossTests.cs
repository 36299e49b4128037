using CFBench.Plugins.MultVAE;
using static TorchSharp.torch;

namespace CFBench.Tests.MultVae;

/// <summary>The three likelihoods against a hand computation of the paper's formulas on a 2×3 example.</summary>
public class LikelihoodLossTests
{
    // Logits f and clicks x: user 0 clicked items 0 and 2, user 1 clicked item 1.
    private static readonly double[,] F = { { 1.0, 2.0, 0.5 }, { -1.0, 0.0, 3.0 } };
    private static readonly int[,] X = { { 1, 0, 1 }, { 0, 1, 0 } };

    private static double HandComputed(Likelihood likelihood, double c1, double c0)
    {
        double total = 0;
        for (int u = 0; u < 2; u++)
        {
            double logSumExp = Math.Log(Enumerable.Range(0, 3).Sum(i => Math.Exp(F[u, i])));
            for (int i = 0; i < 3; i++)
            {
                double f = F[u, i], x = X[u, i], sigmoid = 1 / (1 + Math.Exp(-f));
                total -= likelihood switch
                {
                    Likelihood.Multinomial => x * (f - logSumExp),
                    Likelihood.Gaussian => -(x == 1 ? c1 : c0) / 2 * (x - f) * (x - f),
                    _ => x * Math.Log(sigmoid) + (1 - x) * Math.Log(1 - sigmoid),
                };
            }
        }
        return total / 2;   // mean over the two users
    }

    [Theory]
    [InlineData(Likelihood.Multinomial, 1.0, 1.0)]
    [InlineData(Likelihood.Gaussian, 1.0, 1.0)]
    [InlineData(Likelihood.Gaussian, 2.0, 0.1)]
    [InlineData(Likelihood.Logistic, 1.0, 1.0)]
    public void NegativeLogLikelihoodMatchesTheFormula(Likelihood likelihood, double c1, double c0)
    {
        using var logits = tensor(new float[] { 1f, 2f, 0.5f, -1f, 0f, 3f }).view(2, 3);
        using var observed = tensor(new long[] { 0, 2, 4 });   // flat b·3 + i of x's ones
        using var loss = LikelihoodLoss.NegativeLogLikelihood(likelihood, logits, observed, c1, c0);
        Assert.Equal(HandComputed(likelihood, c1, c0), loss.item<float>(), 5);
    }

    [Fact]
    public void TheMultinomialLossOfTheExampleIsItsKnownValue()
    {
        // −[log softmax(1,2,.5)_0 + log softmax(1,2,.5)_2 + log softmax(−1,0,3)_1] / 2, worked out by hand:
        // lse0 = ln(e + e² + e^.5) = 2.46437, lse1 = ln(e⁻¹ + 1 + e³) = 3.06588
        // = [(2.46437 − 1) + (2.46437 − 0.5) + (3.06588 − 0)] / 2 = 3.24731
        Assert.Equal(3.24731, HandComputed(Likelihood.Multinomial, 1, 1), 4);
    }
}
