using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// NeuMF's pretraining (He et al., WWW 2017, section 3.4.1; official NeuMF.load_pretrain_model): GMF's embeddings, MLP's
/// embeddings and hidden layers copied from trained GMF and MLP runs; the prediction layer h ← [α·h_GMF ; (1-α)·h_MLP]
/// and its bias ← α·b_GMF + (1-α)·b_MLP with α = 0.5, as the code hard-codes it.
/// </summary>
internal static class NeuMFPretraining
{
    public const string GmfRole = "gmf", MlpRole = "mlp";
    public const double Alpha = 0.5;

    public static void Load(NcfNetwork network, PretrainedWeights gmf, PretrainedWeights mlp)
    {
        var p = network.Parameters;
        var (gmfTower, mlpTower) = (network.Gmf!, network.Mlp!);
        using var noGrad = no_grad();
        foreach (var name in new[] { GmfTower.User, GmfTower.Item }) Copy(p[name], gmf, name);
        foreach (var name in new[] { MlpTower.User, MlpTower.Item }) Copy(p[name], mlp, name);
        for (int k = 1; k <= mlpTower.HiddenLayers; k++)
        {
            Copy(p[MlpTower.Weight(k)], mlp, MlpTower.Weight(k));
            Copy(p[MlpTower.Bias(k)], mlp, MlpTower.Bias(k));
        }
        var gmfWeight = gmf.Get(NcfNetwork.PredictionWeight, new long[] { gmfTower.Output, 1 });
        var mlpWeight = mlp.Get(NcfNetwork.PredictionWeight, new long[] { mlpTower.Output, 1 });
        using var weight = cat(new[] { gmfWeight * Alpha, mlpWeight * (1 - Alpha) }, 0);
        p[NcfNetwork.PredictionWeight].copy_(weight);
        using var bias = gmf.Get(NcfNetwork.PredictionBias, new long[] { 1 }) * Alpha + mlp.Get(NcfNetwork.PredictionBias, new long[] { 1 }) * (1 - Alpha);
        p[NcfNetwork.PredictionBias].copy_(bias);
    }

    private static void Copy(Tensor target, PretrainedWeights source, string name) =>
        target.copy_(source.Get(name, target.shape));
}
