using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CFBench.Contracts;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;

namespace CFBench.Core.Runs;

/// <summary>
/// A run's key: the first 16 hex digits of the SHA-256 of its canonical form, a sorted list of <c>name=value</c>
/// lines covering exactly what changes a result — suite, dataset and fingerprint, protocol options by name (enums by
/// name; the evaluation batch size is outside), model, variant, the parameters in the key, seed, schedule, and the
/// upstream runs' keys. Options that do not change results stay outside; an option added later must be left out
/// while at its default (see <see cref="ProtocolLines"/>), so adding one never changes existing keys.
/// </summary>
public static class RunKey
{
    public static string Of(RunSpec spec) => Hash(Canonical(spec));

    /// <summary>The canonical text that <see cref="Of"/> hashes, one <c>name=value</c> per line, sorted by name.</summary>
    public static string Canonical(RunSpec spec)
    {
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["suite"] = spec.Suite,
            ["dataset"] = spec.Dataset,
            ["dataset.fingerprint"] = spec.DatasetFingerprint,
            ["model"] = spec.Model,
            ["variant"] = spec.Variant,
            ["seed"] = Text(spec.Seed),
            ["schedule.epochs"] = Text(spec.Schedule.Epochs),
            ["schedule.evaluate_every"] = Text(spec.Schedule.EvaluateEvery),
            ["schedule.patience"] = Text(spec.Schedule.Patience),
            ["schedule.metric"] = spec.Schedule.SelectionMetric,
        };
        foreach (var (name, value) in ProtocolLines(spec.Protocol)) lines["protocol." + name] = value;
        foreach (var (name, value) in spec.Parameters)
            if (!spec.ParametersOutsideKey.Contains(name)) lines["param." + name] = Text(value);
        foreach (var (role, key) in spec.Upstream) lines["upstream." + role] = key;
        return string.Concat(lines.Select(l => $"{l.Key}={l.Value}\n"));
    }

    /// <summary>The parameters of a run of <paramref name="info"/> left out of its key: speed-only ones
    /// (<see cref="HyperParameter.AffectsResult"/>), and those added later that are at their default
    /// (<see cref="HyperParameter.KeyOmitsDefault"/>).</summary>
    public static IReadOnlySet<string> ParametersOutsideKey(ModelInfo info, ModelParameters parameters) =>
        info.Parameters
            .Where(p => !p.AffectsResult
                        || (p.KeyOmitsDefault && ParameterResolver.SameValue(parameters.Values[p.Name], p.Validate(p.Default))))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The protocol options that change a result, by name. <see cref="ProtocolOptions.UserBatch"/> only sizes the
    /// evaluation's blocks and is left out. An option added after this list was written goes in only when it differs
    /// from its default, e.g. <c>if (o.NewOption != Defaults.NewOption) yield return ("new_option", ...)</c>.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> ProtocolLines(ProtocolOptions o)
    {
        yield return ("name", o.Name);
        yield return ("k", string.Join(",", o.K.Select(k => Text(k))));
        yield return ("metrics", string.Join(",", o.Metrics));
        yield return ("ties", o.Ties.ToString().ToLowerInvariant());
        yield return ("selection", o.Selection.ToString().ToLowerInvariant());
        yield return ("validation_fraction", Text(o.ValidationFraction));
        yield return ("sampled_negatives", Text(o.SampledNegatives));
        yield return ("duplicate_negative", o.DuplicateNegative.ToLowerInvariant());
    }

    /// <summary>A value as invariant text; lists as <c>[a,b,c]</c>.</summary>
    private static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(",", list.Cast<object>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Hash(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];

    /// <summary>Contract 1's key: the JSON of the records as they were then (enums as numbers, the batch size in).</summary>
    internal static string Legacy(RunSpec spec)
    {
        var p = spec.Protocol;
        var s = spec.Schedule;
        var canonical = JsonSerializer.Serialize(new
        {
            spec.Suite, spec.Dataset, spec.DatasetFingerprint,
            Protocol = new
            {
                p.Name, p.K, p.Metrics, p.Ties, p.Selection, p.ValidationFraction, p.SampledNegatives, p.DuplicateNegative,
                p.UserBatch, p.MetricColumns,
            },
            spec.Model, spec.Variant,
            Parameters = new SortedDictionary<string, object>(spec.Parameters.ToDictionary(x => x.Key, x => x.Value), StringComparer.Ordinal),
            spec.Seed,
            Schedule = new { s.Epochs, s.EvaluateEvery, s.Patience, s.SelectionMetric },
        });
        return Hash(canonical);
    }
}
