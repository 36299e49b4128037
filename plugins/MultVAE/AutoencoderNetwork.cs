using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.MultVAE;

/// <summary>
/// The notebook's networks. Encoder [items → hidden… → 2·latent] (VAE: μ and log σ²) or [items → hidden… → latent]
/// (DAE), decoder [latent → hidden reversed… → items]; tanh after every layer except the encoder's last (VAE) and the
/// decoder's last. Weights are [in, out] with Xavier-uniform draws, biases truncated-normal(0.001) (TensorFlow's
/// truncation at two standard deviations). The first layer reads the sparse input through embedding_bag: the same
/// product as the dense one, at the cost of the row's nonzeros.
/// </summary>
internal sealed class AutoencoderNetwork : IDisposable
{
    private const double BiasStd = 0.001;

    private readonly List<(Parameter Weight, Parameter Bias)> _encoder = new();
    private readonly List<(Parameter Weight, Parameter Bias)> _decoder = new();
    private readonly EmbeddingBag _inputLayer;
    private readonly bool _variational;
    private readonly int _latent;

    public AutoencoderNetwork(int items, MultVaeOptions options, Generator init, Device device)
    {
        _variational = options.Architecture == Architecture.Vae;
        _latent = options.Latent;
        var encoderDims = new List<int> { items };
        encoderDims.AddRange(options.Hidden);
        encoderDims.Add(_variational ? 2 * _latent : _latent);
        var decoderDims = new List<int> { _latent };
        decoderDims.AddRange(options.Hidden.Reverse());
        decoderDims.Add(items);
        for (int k = 0; k + 1 < encoderDims.Count; k++) _encoder.Add(Layer(encoderDims[k], encoderDims[k + 1], init, device));
        for (int k = 0; k + 1 < decoderDims.Count; k++) _decoder.Add(Layer(decoderDims[k], decoderDims[k + 1], init, device));
        _inputLayer = nn.EmbeddingBag(1, encoderDims[1], mode: EmbeddingBagMode.Sum, include_last_offset: true, device: device);
        _inputLayer.weight = _encoder[0].Weight;   // shares the parameter's storage: gradients land on it
    }

    public IEnumerable<Parameter> Parameters => Named.Select(p => p.Parameter);

    /// <summary>Every parameter with a stable name, for checkpoints.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> Named =>
        _encoder.SelectMany((layer, k) => new[] { ($"encoder{k}.weight", layer.Weight), ($"encoder{k}.bias", layer.Bias) })
            .Concat(_decoder.SelectMany((layer, k) => new[] { ($"decoder{k}.weight", layer.Weight), ($"decoder{k}.bias", layer.Bias) }));

    /// <summary>Σ‖W‖² over the weight matrices (not the biases), for the L2 term.</summary>
    public Tensor WeightSquares() =>
        _encoder.Concat(_decoder).Select(layer => layer.Weight.square().sum()).Aggregate((a, b) => a + b);

    /// <summary>The decoder's logits for <paramref name="rows"/> and the batch mean of KL(q(z|x) ‖ N(0, I)) (zero for
    /// the DAE). With <paramref name="inputValues"/> the first layer reads those values (the dropped-out input)
    /// instead of the normalised ones; with <paramref name="noise"/> z is sampled (training), without it z = μ.</summary>
    public (Tensor Logits, Tensor Kl) Forward(SparseRows rows, Tensor? inputValues, Func<long[], Tensor>? noise)
    {
        var (firstWeight, firstBias) = _encoder[0];
        Tensor h = rows.Items.shape[0] == 0
            ? zeros(rows.Count, firstWeight.shape[1], dtype: float32, device: firstWeight.device)
            : _inputLayer.call(rows.Items, rows.Offsets, inputValues ?? rows.Normalized);
        h = h + firstBias;
        for (int k = 1; k <= _encoder.Count; k++)
        {
            bool last = k == _encoder.Count;
            if (!last || !_variational) h = h.tanh();
            if (!last) h = addmm(_encoder[k].Bias, h, _encoder[k].Weight, 1, 1);
        }

        Tensor z, kl;
        if (_variational)
        {
            var mu = h.narrow(1, 0, _latent);
            var logVariance = h.narrow(1, _latent, _latent);
            kl = ((logVariance.exp() - logVariance + mu.square() - 1).sum(1) * 0.5).mean();
            if (noise is null) z = mu;
            else
            {
                using var epsilon = noise(mu.shape);
                z = mu + epsilon * (logVariance * 0.5).exp();
            }
        }
        else
        {
            z = h;
            kl = zeros(1, dtype: float32, device: h.device).squeeze();
        }

        h = z;
        for (int k = 0; k < _decoder.Count; k++)
        {
            h = addmm(_decoder[k].Bias, h, _decoder[k].Weight, 1, 1);
            if (k + 1 < _decoder.Count) h = h.tanh();
        }
        return (h, kl);
    }

    private static (Parameter Weight, Parameter Bias) Layer(int inputs, int outputs, Generator init, Device device)
    {
        // Xavier (Glorot) uniform, TensorFlow's xavier_initializer default: U(−a, a), a = √(6 / (in + out)).
        double bound = Math.Sqrt(6.0 / (inputs + outputs));
        using var uniform = rand(new long[] { inputs, outputs }, dtype: float32, generator: init);
        using var weight = uniform * (2 * bound) - bound;
        using var bias = TruncatedNormal(outputs, BiasStd, init);
        return (new Parameter(weight.to(device), requires_grad: true), new Parameter(bias.to(device), requires_grad: true));
    }

    /// <summary>N(0, std²) draws redrawn until within two standard deviations (tf.truncated_normal).</summary>
    private static Tensor TruncatedNormal(long count, double std, Generator generator)
    {
        var values = empty(count, dtype: float32).normal_(0, std, generator);
        while (true)
        {
            using var outside = values.abs() > 2 * std;
            long redraw = outside.sum().item<long>();
            if (redraw == 0) return values;
            using var fresh = empty(redraw, dtype: float32).normal_(0, std, generator);
            values.masked_scatter_(outside, fresh);
        }
    }

    public void Dispose()
    {
        _inputLayer.Dispose();
        foreach (var (weight, bias) in _encoder.Concat(_decoder))
        {
            weight.Dispose();
            bias.Dispose();
        }
    }
}
