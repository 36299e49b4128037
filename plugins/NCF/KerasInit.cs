using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>The initialisers of the official Keras 1 code, drawn from a seeded CPU generator into a parameter.</summary>
internal static class KerasInit
{
    /// <summary>Keras' <c>normal(scale=std)</c>: the embeddings' N(0, std²).</summary>
    public static void Normal(Tensor target, double std, Generator generator) =>
        Fill(target, empty(target.shape, dtype: float32).normal_(0, std, generator));

    /// <summary>glorot_uniform (Keras' Dense default, the MLP's hidden layers): U(±√(6/(fan_in+fan_out))); weight [in, out].</summary>
    public static void GlorotUniform(Tensor weight, Generator generator)
    {
        var limit = Math.Sqrt(6.0 / (weight.shape[0] + weight.shape[1]));
        Fill(weight, empty(weight.shape, dtype: float32).uniform_(-limit, limit, generator));
    }

    /// <summary>lecun_uniform (the prediction layer): U(±√(3/fan_in)); weight [in, out].</summary>
    public static void LecunUniform(Tensor weight, Generator generator)
    {
        var limit = Math.Sqrt(3.0 / weight.shape[0]);
        Fill(weight, empty(weight.shape, dtype: float32).uniform_(-limit, limit, generator));
    }

    private static void Fill(Tensor target, Tensor drawn)
    {
        using var noGrad = no_grad();
        using (drawn) target.copy_(drawn);
    }
}
