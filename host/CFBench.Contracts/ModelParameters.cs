namespace CFBench.Contracts;

/// <summary>The resolved hyper-parameter values of one run (defaults, then variant, then suite overrides),
/// validated by the host against the model's declaration.</summary>
public sealed class ModelParameters
{
    private readonly IReadOnlyDictionary<string, object> _values;

    public ModelParameters(IReadOnlyDictionary<string, object> values) => _values = values;

    public IReadOnlyDictionary<string, object> Values => _values;

    public long Int(string name) => Convert.ToInt64(Get(name), System.Globalization.CultureInfo.InvariantCulture);
    public double Float(string name) => Convert.ToDouble(Get(name), System.Globalization.CultureInfo.InvariantCulture);
    public bool Bool(string name) => (bool)Get(name);
    public string Choice(string name) => (string)Get(name);

    private object Get(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no parameter '{name}' was resolved");
}
