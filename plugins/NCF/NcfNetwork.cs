using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// GMF, MLP or NeuMF (He et al., WWW 2017): the towers the model has, their outputs concatenated ([GMF; MLP] for
/// NeuMF, with separate embeddings, official NeuMF.py), then one prediction unit. <see cref="Logits"/> returns the
/// pre-sigmoid score: training uses the log loss on it, ranking uses it directly (same order as σ, fewer ties).
/// </summary>
internal sealed class NcfNetwork : IDisposable
{
    public const string PredictionWeight = "prediction.weight", PredictionBias = "prediction.bias";

    public NcfNetwork(NcfOptions options, long users, long items, Device device)
    {
        Gmf = options.HasGmf ? new GmfTower(options.Factors) : null;
        Mlp = options.HasMlp ? new MlpTower(options.Layers) : null;
        var layout = new FlatLayout();
        Gmf?.Declare(layout, users, items);
        Mlp?.Declare(layout, users, items);
        layout.Add(PredictionWeight, PredictionInputs, 1);
        layout.Add(PredictionBias, 1);
        Parameters = new FlatParameters(layout, device);
    }

    public GmfTower? Gmf { get; }
    public MlpTower? Mlp { get; }
    public FlatParameters Parameters { get; }

    public int PredictionInputs => (Gmf?.Output ?? 0) + (Mlp?.Output ?? 0);

    /// <summary>Keras' initialisation: embeddings N(0, std²), hidden layers glorot_uniform, prediction lecun_uniform, biases 0.</summary>
    public void Initialize(double std, Generator generator)
    {
        Gmf?.Initialize(Parameters, std, generator);
        Mlp?.Initialize(Parameters, std, generator);
        KerasInit.LecunUniform(Parameters[PredictionWeight], generator);
    }

    /// <summary>[n] logits of the (user, item) pairs (int64 [n] each).</summary>
    public Tensor Logits(Tensor users, Tensor items)
    {
        var mf = Gmf?.Forward(Parameters, users, items);
        var mlp = Mlp?.Forward(Parameters, users, items);
        var features = mf is null ? mlp! : mlp is null ? mf : cat(new[] { mf, mlp }, 1);
        return addmm(Parameters[PredictionBias], features, Parameters[PredictionWeight], 1, 1).view(-1);
    }

    public void Dispose() => Parameters.Dispose();
}
