using CFBench.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Plugins.NGCF;

/// <summary>
/// The weights of NGCF's embedding propagation layers and the layer update E⁽ˡ⁺¹⁾ = f(E⁽ˡ⁾, L·E⁽ˡ⁾) in the official or
/// the paper's form, with or without the feature transformations (NGCF-f) and the non-linearity (NGCF-n).
/// Initialised as the official code: every W and b Xavier-uniform (TensorFlow's xavier_initializer, biases included).
/// </summary>
internal sealed class NgcfLayers : IDisposable
{
    private readonly NgcfOptions _options;
    private readonly Parameter[] _w1, _b1, _w2, _b2;   // empty without transform; biases unused in the paper form

    public NgcfLayers(NgcfOptions options, Generator init, Device device)
    {
        _options = options;
        int layers = options.Transform ? options.Layers : 0;
        _w1 = new Parameter[layers];
        _b1 = new Parameter[layers];
        _w2 = new Parameter[layers];
        _b2 = new Parameter[layers];
        long input = options.Dim;
        for (int k = 0; k < layers; k++)
        {
            long output = options.LayerSizes[k];
            _w1[k] = XavierUniform(new[] { input, output }, init, device);
            _b1[k] = XavierUniform(new[] { 1L, output }, init, device);
            _w2[k] = XavierUniform(new[] { input, output }, init, device);
            _b2[k] = XavierUniform(new[] { 1L, output }, init, device);
            input = output;
        }
    }

    /// <summary>The trainable tensors, in a fixed order (optimizer and checkpoint).</summary>
    public IEnumerable<Parameter> Parameters =>
        Enumerable.Range(0, _w1.Length).SelectMany(k => _options.Form == LayerForm.Official
            ? new[] { _w1[k], _b1[k], _w2[k], _b2[k] }
            : new[] { _w1[k], _w2[k] });

    /// <summary>U(−a, a) with a = √(6 / (rows + columns)), as TensorFlow's xavier_initializer for a 2-D shape.</summary>
    public static Parameter XavierUniform(long[] shape, Generator init, Device device)
    {
        double limit = Math.Sqrt(6.0 / (shape[0] + shape[1]));
        using var drawn = empty(shape, dtype: float32).uniform_(-limit, limit, init);
        return new Parameter(drawn.to(device), requires_grad: true);
    }

    /// <summary>E⁽ˡ⁺¹⁾ from E⁽ˡ⁾ (<paramref name="e"/>) and L·E⁽ˡ⁾ (<paramref name="side"/>), before message dropout.</summary>
    public Tensor Update(int layer, Tensor e, Tensor side)
    {
        var bi = e * side;
        if (_options.Form == LayerForm.Official)
            return Activate(Transform(side, _w1, _b1, layer)) + Activate(Transform(bi, _w2, _b2, layer));
        return Activate(Transform(side + e, _w1, null, layer) + Transform(bi, _w2, null, layer));
    }

    private Tensor Transform(Tensor x, Parameter[] w, Parameter[]? b, int layer)
    {
        if (!_options.Transform) return x;
        var product = x.mm(w[layer]);
        return b is null ? product : product + b[layer];
    }

    private Tensor Activate(Tensor x) => _options.Nonlinearity ? nn.functional.leaky_relu(x, 0.2) : x;

    public void Save(BinaryWriter writer)
    {
        int i = 0;
        foreach (var p in Parameters) CheckpointIO.WriteTensor(writer, $"layer parameter {i++}", p);
    }

    public void Load(BinaryReader reader)
    {
        int i = 0;
        foreach (var p in Parameters) CheckpointIO.ReadTensorInto(reader, $"layer parameter {i++}", p);
    }

    public void Dispose()
    {
        foreach (var p in _w1.Concat(_b1).Concat(_w2).Concat(_b2)) p.Dispose();
    }
}
