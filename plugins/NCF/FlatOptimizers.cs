using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>An optimiser over <see cref="FlatParameters"/>: one step updates the whole vector.</summary>
internal interface IFlatOptimizer : IDisposable
{
    void Step();
    void Save(BinaryWriter writer);
    void Load(BinaryReader reader);
}

/// <summary>
/// Adam as Keras 1 (the official NCF code) implements it: lr_t = lr·√(1-β₂ᵗ)/(1-β₁ᵗ), p -= lr_t·m/(√v + ε), ε = 1e-8
/// added to √v (PyTorch adds ε to the bias-corrected √v̂). Dense: every row of the embedding tables moves every
/// step, as Keras' Adam does with embedding gradients.
/// </summary>
internal sealed class KerasAdam : IFlatOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly FlatParameters _parameters;
    private readonly double _lr;
    private readonly Tensor _m, _v;
    private readonly Tensor _denominator;   // √v + ε, reused: a vector-size allocation per step costs more than the step
    private long _step;

    public KerasAdam(FlatParameters parameters, double lr)
    {
        _parameters = parameters;
        _lr = lr;
        _m = zeros_like(parameters.Values);
        _v = zeros_like(parameters.Values);
        _denominator = zeros_like(parameters.Values);
    }

    public void Step()
    {
        using var noGrad = no_grad();
        _step++;
        var lrT = _lr * Math.Sqrt(1 - Math.Pow(Beta2, _step)) / (1 - Math.Pow(Beta1, _step));
        var g = _parameters.Gradients;
        _m.lerp_(g, 1 - Beta1);
        _v.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
        _denominator.copy_(_v).sqrt_().add_(Epsilon);
        _parameters.Values.addcdiv_(_m, _denominator, value: -lrT);
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_step);
        CheckpointIO.WriteTensor(writer, "adam.m", _m);
        CheckpointIO.WriteTensor(writer, "adam.v", _v);
    }

    public void Load(BinaryReader reader)
    {
        _step = reader.ReadInt64();
        CheckpointIO.ReadTensorInto(reader, "adam.m", _m);
        CheckpointIO.ReadTensorInto(reader, "adam.v", _v);
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
        _denominator.Dispose();
    }
}

/// <summary>Vanilla SGD (Keras' SGD without momentum): the paper's optimiser for NeuMF after pretraining.</summary>
internal sealed class PlainSgd(FlatParameters parameters, double lr) : IFlatOptimizer
{
    public void Step()
    {
        using var noGrad = no_grad();
        parameters.Values.add_(parameters.Gradients, alpha: -lr);
    }

    public void Save(BinaryWriter writer) { }
    public void Load(BinaryReader reader) { }
    public void Dispose() { }
}
