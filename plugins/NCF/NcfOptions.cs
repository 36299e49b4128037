using CFBench.Contracts;

namespace CFBench.Plugins.NCF;

public enum NcfModel { Gmf, Mlp, NeuMF }

/// <summary>An NCF run's hyper-parameters, read from <see cref="ModelParameters"/> and checked together (the
/// per-parameter ranges are checked by the host from the declaration in <see cref="NcfProvider"/>).</summary>
public sealed record NcfOptions(NcfModel Model, int Factors, int[] Layers, int Negatives, double LearningRate, int BatchSize,
    string Optimizer, bool Pretrain, double InitStd)
{
    public bool HasGmf => Model is NcfModel.Gmf or NcfModel.NeuMF;
    public bool HasMlp => Model is NcfModel.Mlp or NcfModel.NeuMF;

    /// <summary>Size of the MLP's user and of its item embedding: half the first layer entry (official MLP.py).</summary>
    public int MlpEmbedding => Layers[0] / 2;

    public static NcfOptions From(ModelParameters p)
    {
        var model = p.Choice("model") switch
        {
            "gmf" => NcfModel.Gmf,
            "mlp" => NcfModel.Mlp,
            "neumf" => NcfModel.NeuMF,
            var other => throw new ArgumentException($"NCF: model '{other}' is not gmf, mlp or neumf"),
        };
        var options = new NcfOptions(model, checked((int)p.Int("factors")), p.IntList("layers").Select(l => checked((int)l)).ToArray(),
            checked((int)p.Int("negatives")), p.Float("lr"), checked((int)p.Int("batch_size")), p.Choice("optimizer"), p.Bool("pretrain"),
            p.Float("init_std"));
        options.Check();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line message naming the parameter.</summary>
    public void Check()
    {
        if (HasMlp)
        {
            var shown = "[" + string.Join(",", Layers) + "]";
            if (Layers.Length == 0) throw new ArgumentException("NCF: layers is empty; its first entry is the concatenated embedding size, e.g. [64,32,16,8]");
            if (Layers.Any(l => l < 1)) throw new ArgumentException($"NCF: layers {shown}: every entry must be at least 1");
            if (Layers[0] % 2 != 0)
                throw new ArgumentException($"NCF: layers {shown}: the first entry ({Layers[0]}) is the user and item embeddings concatenated, so it must be even");
            for (int k = 1; k < Layers.Length; k++)
                if (Layers[k] > Layers[k - 1])
                    throw new ArgumentException($"NCF: layers {shown}: entry {k} ({Layers[k]}) is wider than entry {k - 1} ({Layers[k - 1]}); the MLP is a tower, each layer no wider than the one before");
        }
        if (Model == NcfModel.Mlp && Factors != Layers[^1])
            throw new ArgumentException($"NCF: an MLP's predictive factors are its last layer ({Layers[^1]}), but factors is {Factors}; set factors={Layers[^1]}");
        if (Pretrain && Model != NcfModel.NeuMF)
            throw new ArgumentException($"NCF: pretrain=true is for NeuMF only (model is {Model})");
    }
}
