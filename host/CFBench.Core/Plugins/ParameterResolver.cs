using System.Text.Json;
using CFBench.Contracts;
using CFBench.Core.Config;

namespace CFBench.Core.Plugins;

/// <summary>
/// Resolves a run's hyper-parameters from a model's declaration: the declared defaults, then the chosen variant's
/// values, then the suite's overrides; every value is converted and range-checked by <see cref="HyperParameter.Validate"/>.
/// </summary>
public static class ParameterResolver
{
    /// <exception cref="ArgumentException">An unknown variant or parameter (the message lists the valid ones), or an
    /// invalid value.</exception>
    public static ModelParameters Resolve(ModelInfo info, string? variant, IReadOnlyDictionary<string, object> overrides)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in info.Parameters) values[p.Name] = p.Validate(p.Default);

        if (!string.IsNullOrEmpty(variant))
        {
            var chosen = info.Variant(variant)
                ?? throw new ArgumentException($"model '{info.Name}' has no variant '{variant}'; its variants: {VariantList(info)}");
            Apply(info, values, chosen.Parameters, $"variant '{chosen.Name}' of ");
        }
        Apply(info, values, overrides, "");
        return new ModelParameters(values);
    }

    /// <summary>Checks a model's declaration: a name, unique parameter names, valid defaults, and variants that
    /// name only declared parameters with valid values. Throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static void CheckDeclaration(ModelInfo info)
    {
        if (string.IsNullOrWhiteSpace(info.Name)) throw new ArgumentException("the model has no name");
        if (info.Parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"model '{info.Name}' declares parameter '{duplicate.Key}' twice");
        if (info.Variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"model '{info.Name}' declares variant '{twice.Key}' twice");
        foreach (var p in info.Parameters)
        {
            try { p.Validate(p.Default); }
            catch (ArgumentException e) { throw new ArgumentException($"model '{info.Name}': default of {e.Message}"); }
        }
        foreach (var v in info.Variants)
        {
            Resolve(info, v.Name, new Dictionary<string, object>());
            if (v.RequiredRoles.Any(string.IsNullOrWhiteSpace) || v.RequiredRoles.Distinct().Count() != v.RequiredRoles.Count)
                throw new ArgumentException($"model '{info.Name}': variant '{v.Name}' names an empty or repeated upstream role ({string.Join(", ", v.RequiredRoles)})");
        }
    }

    private static void Apply(ModelInfo info, Dictionary<string, object> values, IReadOnlyDictionary<string, object> given, string origin)
    {
        foreach (var (name, value) in given)
        {
            var parameter = info.Parameter(name)
                ?? throw new ArgumentException($"{origin}model '{info.Name}' has no parameter '{name}'; its parameters: {ParameterList(info)}");
            try
            {
                var plain = value is JsonElement json ? BenchConfigLoader.ToValue(json) : value;
                values[name] = parameter.Validate(plain);
            }
            catch (ConfigException e)
            {
                throw new ArgumentException($"{origin}model '{info.Name}': parameter '{name}': {e.Message}");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{origin}model '{info.Name}': {e.Message}");
            }
        }
    }

    /// <summary>Whether two resolved values are equal (lists element by element).</summary>
    public static bool SameValue(object a, object b) => (a, b) switch
    {
        (long[] x, long[] y) => x.SequenceEqual(y),
        (double[] x, double[] y) => x.SequenceEqual(y),
        _ => Equals(a, b),
    };

    private static string VariantList(ModelInfo info) =>
        info.Variants.Count == 0 ? "(none)" : string.Join(", ", info.Variants.Select(v => v.Name));

    private static string ParameterList(ModelInfo info) =>
        info.Parameters.Count == 0 ? "(none)" : string.Join(", ", info.Parameters.Select(p => p.Name));
}
