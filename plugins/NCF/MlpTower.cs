using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// The Multi-Layer Perceptron of NCF (He et al., WWW 2017, eq. 10; official MLP.py): user and item embeddings of
/// layers[0]/2 each, concatenated, then ReLU layers layers[1..] (Keras names them layer1, layer2, ...). With one
/// entry (MLP-0) the concatenation goes to the prediction layer as is. Weights are [in, out] as in Keras.
/// </summary>
internal sealed class MlpTower(int[] layers)
{
    public const string User = "mlp_user", Item = "mlp_item";

    public static string Weight(int layer) => $"layer{layer}.weight";
    public static string Bias(int layer) => $"layer{layer}.bias";

    public int Output => layers[^1];

    public int HiddenLayers => layers.Length - 1;

    public void Declare(FlatLayout layout, long users, long items)
    {
        layout.Add(User, users, layers[0] / 2);
        layout.Add(Item, items, layers[0] / 2);
        for (int k = 1; k < layers.Length; k++)
        {
            layout.Add(Weight(k), layers[k - 1], layers[k]);
            layout.Add(Bias(k), layers[k]);
        }
    }

    /// <summary>Embeddings N(0, std²), hidden weights glorot_uniform, biases zero (Keras' defaults in MLP.py).</summary>
    public void Initialize(FlatParameters p, double std, Generator generator)
    {
        KerasInit.Normal(p[User], std, generator);
        KerasInit.Normal(p[Item], std, generator);
        for (int k = 1; k < layers.Length; k++) KerasInit.GlorotUniform(p[Weight(k)], generator);
    }

    public Tensor Forward(FlatParameters p, Tensor users, Tensor items)
    {
        var h = cat(new[] { p.Rows(User, users), p.Rows(Item, items) }, 1);
        for (int k = 1; k < layers.Length; k++) h = addmm(p[Bias(k)], h, p[Weight(k)], 1, 1).relu_();
        return h;
    }
}
