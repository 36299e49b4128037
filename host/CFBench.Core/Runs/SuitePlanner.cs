using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;

namespace CFBench.Core.Runs;

/// <summary>
/// Expands a suite of bench.json into run specs: datasets × model entries × variants × seeds, each with its
/// resolved hyper-parameters and schedule. Runs that start from other runs (<c>dependsOn</c>) come after them and
/// carry their keys. Unknown names, a model that cannot score the protocol's users and broken dependencies fail
/// with the JSON path they come from, before any dataset is loaded.
/// </summary>
public sealed class SuitePlanner(BenchConfig config, PluginCatalog catalog)
{
    public const int DefaultEpochs = 100;
    public const int DefaultEvaluateEvery = 5;

    public SuiteConfig Suite(string name) =>
        config.Suites.TryGetValue(name, out var suite)
            ? suite
            : throw new ConfigException($"no suite '{name}' in {config.SourcePath}; suites: {string.Join(", ", config.Suites.Keys)}");

    /// <param name="fingerprint">Dataset name → its fingerprint (the caller loads the dataset).</param>
    public IReadOnlyList<PlannedRun> Plan(string suiteName, SuiteFilter filter, Func<string, string> fingerprint)
    {
        var suite = Suite(suiteName);
        var protocol = config.Protocols[suite.Protocol].ToOptions();
        var datasets = suite.Datasets.Where(d => filter.Dataset is null || d == filter.Dataset).ToList();
        if (datasets.Count == 0)
            throw new ConfigException($"suite '{suiteName}' has no dataset '{filter.Dataset}'; its datasets: {string.Join(", ", suite.Datasets)}");
        var seeds = filter.Seeds ?? suite.Seeds;
        var variants = ResolveVariants(suiteName, suite, protocol, filter.Epochs);
        var wanted = Wanted(suiteName, variants, filter.Model);

        var runs = new List<PlannedRun>();
        foreach (var dataset in datasets)
        {
            string? datasetFingerprint = null;
            var planned = new Dictionary<(EntryVariant, long), PlannedRun>();
            PlannedRun PlanOne(EntryVariant v, long seed)
            {
                if (planned.TryGetValue((v, seed), out var done)) return done;
                if (v.Entry.Datasets is { } only && !only.Contains(dataset))
                    throw new ConfigException($"{config.SourcePath}: $.suites.{suiteName}.models[{v.Index}]: {v.Label} does not run on " +
                                              $"dataset '{dataset}', but a run that starts from it does");
                var upstream = v.DependsOn.ToDictionary(d => d.Key, d => PlanOne(d.Value, seed).Spec.Key);
                datasetFingerprint ??= fingerprint(dataset);
                var spec = new RunSpec
                {
                    Suite = suiteName,
                    Dataset = dataset,
                    DatasetFingerprint = datasetFingerprint,
                    Protocol = protocol,
                    Model = v.Model.Info.Name,
                    Variant = v.Variant,
                    Parameters = v.Parameters.Values,
                    ParametersOutsideKey = v.OutsideKey,
                    Seed = seed,
                    Schedule = v.Schedule,
                    Upstream = upstream,
                };
                var run = new PlannedRun(spec, v.Model, v.Parameters);
                planned[(v, seed)] = run;
                runs.Add(run);
                return run;
            }
            foreach (var v in wanted.Where(v => v.Entry.Datasets is not { } only || only.Contains(dataset)))
                foreach (var seed in seeds) PlanOne(v, seed);
        }
        return runs;
    }

    /// <summary>Why <paramref name="model"/> cannot score the users of <paramref name="protocol"/> (named
    /// <paramref name="protocolName"/> in bench.json), or null: a model that is not inductive cannot score held-out users.</summary>
    public static string? CannotScore(ModelInfo model, string protocolName, ProtocolOptions protocol)
    {
        if (model.Inductive) return null;
        bool heldOut;
        try { heldOut = ProtocolFactory.Create(protocol).ScoresHeldOutUsers; }
        catch (ArgumentException) { return null; }   // a bad protocol is a problem of its own, reported where it is checked
        return heldOut ? $"{model.Name} is not inductive, so it cannot score the held-out users of protocol '{protocolName}' ({protocol.Name})" : null;
    }

    /// <summary>A model entry's variant with everything resolved but the dataset and the seed.</summary>
    private sealed record EntryVariant(int Index, SuiteModelConfig Entry, CatalogModel Model, string Variant, ModelParameters Parameters,
        IReadOnlySet<string> OutsideKey, TrainingSchedule Schedule)
    {
        public string Label => Variant.Length == 0 ? Model.Info.Name : $"{Model.Info.Name}/{Variant}";
        public Dictionary<string, EntryVariant> DependsOn { get; } = new();
    }

    private List<EntryVariant> ResolveVariants(string suiteName, SuiteConfig suite, ProtocolOptions protocol, int? epochs)
    {
        var all = new List<EntryVariant>();
        for (int index = 0; index < suite.Models.Count; index++)
        {
            var entry = suite.Models[index];
            var at = $"{config.SourcePath}: $.suites.{suiteName}.models[{index}]";
            CatalogModel model;
            try { model = catalog.Find(entry.Model); }
            catch (KeyNotFoundException e) { throw new ConfigException($"{at}.model: {e.Message}"); }
            if (CannotScore(model.Info, suite.Protocol, protocol) is { } problem) throw new ConfigException($"{at}.model: {problem}");
            var overrides = entry.Params.ToDictionary(p => p.Key, p => (object)p.Value); // the resolver converts, naming the parameter
            var schedule = Schedule(suite.Schedule, entry.Schedule, epochs, protocol.MetricColumns.First());
            foreach (var variant in entry.Variants.Count > 0 ? entry.Variants : new[] { "" })
            {
                ModelParameters parameters;
                try { parameters = ParameterResolver.Resolve(model.Info, variant.Length == 0 ? null : variant, overrides); }
                catch (ArgumentException e) { throw new ConfigException($"{at}: {e.Message}"); }
                all.Add(new EntryVariant(index, entry, model, variant, parameters, RunKey.ParametersOutsideKey(model.Info, parameters), schedule));
            }
        }
        LinkDependencies(suiteName, all);
        return all;
    }

    private void LinkDependencies(string suiteName, List<EntryVariant> all)
    {
        foreach (var v in all)
        {
            var at = $"{config.SourcePath}: $.suites.{suiteName}.models[{v.Index}]";
            var given = v.Entry.DependsOn ?? new Dictionary<string, string>();
            var required = v.Variant.Length == 0 ? Array.Empty<string>() : v.Model.Info.Variant(v.Variant)!.RequiredRoles;
            foreach (var role in required.Where(r => !given.ContainsKey(r)))
                throw new ConfigException($"{at}.dependsOn: {v.Label} starts from a '{role}' run; name it, e.g. \"dependsOn\": {{ \"{role}\": \"MODEL/VARIANT\" }}");
            foreach (var (role, label) in given)
            {
                if (!required.Contains(role))
                    throw new ConfigException($"{at}.dependsOn.{role}: {v.Label} takes no '{role}' run" +
                                              (required.Count == 0 ? "" : $" (it takes: {string.Join(", ", required)})"));
                var matches = all.Where(u => string.Equals(u.Label, label, StringComparison.OrdinalIgnoreCase)).ToList();
                if (matches.Count == 0)
                    throw new ConfigException($"{at}.dependsOn.{role}: no entry of suite '{suiteName}' runs '{label}'; its runs: {string.Join(", ", all.Select(u => u.Label).Distinct())}");
                if (matches.Count > 1)
                    throw new ConfigException($"{at}.dependsOn.{role}: '{label}' is run by {matches.Count} entries of suite '{suiteName}' (models[{string.Join("], models[", matches.Select(m => m.Index))}]); keep one");
                v.DependsOn[role] = matches[0];
            }
        }
        foreach (var v in all) CheckAcyclic(suiteName, v, new HashSet<EntryVariant>());
    }

    private void CheckAcyclic(string suiteName, EntryVariant v, HashSet<EntryVariant> path)
    {
        if (!path.Add(v))
            throw new ConfigException($"{config.SourcePath}: $.suites.{suiteName}.models[{v.Index}].dependsOn: {v.Label} depends on itself through {string.Join(" → ", path.Select(p => p.Label))}");
        foreach (var upstream in v.DependsOn.Values) CheckAcyclic(suiteName, upstream, path);
        path.Remove(v);
    }

    /// <summary>The variants <paramref name="model"/> (NAME or NAME/VARIANT) selects, in suite order; the runs they
    /// start from are planned with them.</summary>
    private static List<EntryVariant> Wanted(string suiteName, List<EntryVariant> all, string? model)
    {
        if (model is null) return all;
        bool named = model.Contains('/');
        var wanted = all.Where(v => named
            ? string.Equals(v.Label, model, StringComparison.OrdinalIgnoreCase)
            : string.Equals(v.Model.Info.Name, model, StringComparison.OrdinalIgnoreCase)
              || string.Equals(v.Entry.Model, model, StringComparison.OrdinalIgnoreCase)).ToList();
        if (wanted.Count == 0)
            throw new ConfigException($"suite '{suiteName}' has no model '{model}'; its models: {string.Join(", ", all.Select(v => v.Label).Distinct())}");
        return wanted;
    }

    private static TrainingSchedule Schedule(ScheduleConfig suite, ScheduleConfig? entry, int? epochs, string defaultMetric) =>
        new(
            epochs ?? entry?.Epochs ?? suite.Epochs ?? DefaultEpochs,
            entry?.EvaluateEvery ?? suite.EvaluateEvery ?? DefaultEvaluateEvery,
            entry?.Patience ?? suite.Patience ?? 0,
            entry?.Metric ?? suite.Metric ?? defaultMetric);
}
