using System.Globalization;

namespace CFBench.Contracts;

/// <summary>The resolved hyper-parameter values of one run (defaults, then variant, then suite overrides),
/// validated by the host against the model's declaration.</summary>
public sealed class ModelParameters
{
    private readonly IReadOnlyDictionary<string, object> _values;

    public ModelParameters(IReadOnlyDictionary<string, object> values) => _values = values;

    public IReadOnlyDictionary<string, object> Values => _values;

    public long Int(string name) => Convert.ToInt64(Get(name), CultureInfo.InvariantCulture);
    public double Float(string name) => Convert.ToDouble(Get(name), CultureInfo.InvariantCulture);
    public bool Bool(string name) => (bool)Get(name);
    public string Choice(string name) => (string)Get(name);
    /// <summary>A copy of an <see cref="ParameterKind.IntList"/> value.</summary>
    public long[] IntList(string name) => ((long[])Get(name)).ToArray();
    /// <summary>A copy of a <see cref="ParameterKind.FloatList"/> value.</summary>
    public double[] FloatList(string name) => ((double[])Get(name)).ToArray();

    private object Get(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no parameter '{name}' was resolved");
}
