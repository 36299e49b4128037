using CFBench.Core.Config;
using CFBench.Core.Plugins;

namespace CFBench.Core.Runs;

/// <summary>
/// Expands a suite of bench.json into run specs: datasets × model entries × variants × seeds, each with its
/// resolved hyper-parameters and schedule. Unknown names fail with the JSON path they come from.
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
        var entries = suite.Models.Select((m, i) => (Entry: m, Index: i))
            .Where(e => filter.Model is null || string.Equals(e.Entry.Model, filter.Model, StringComparison.OrdinalIgnoreCase)
                                             || e.Entry.Variants.Any(v => string.Equals($"{e.Entry.Model}/{v}", filter.Model, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (entries.Count == 0)
            throw new ConfigException($"suite '{suiteName}' has no model '{filter.Model}'; its models: {string.Join(", ", suite.Models.Select(m => m.Model))}");
        var seeds = filter.Seeds ?? suite.Seeds;

        var runs = new List<PlannedRun>();
        foreach (var dataset in datasets)
        {
            var datasetFingerprint = fingerprint(dataset);
            foreach (var (entry, index) in entries)
            {
                if (entry.Datasets is { } only && !only.Contains(dataset)) continue;
                var at = $"$.suites.{suiteName}.models[{index}]";
                CatalogModel model;
                try { model = catalog.Find(entry.Model); }
                catch (KeyNotFoundException e) { throw new ConfigException($"{config.SourcePath}: {at}.model: {e.Message}"); }
                var overrides = entry.Params.ToDictionary(p => p.Key, p => (object)p.Value); // the resolver converts, naming the parameter
                var schedule = Schedule(suite.Schedule, entry.Schedule, filter.Epochs, protocol.MetricColumns.First());
                var variants = entry.Variants.Count > 0 ? entry.Variants : new[] { "" };
                foreach (var variant in variants)
                {
                    if (filter.Model?.Contains('/') == true && !string.Equals($"{entry.Model}/{variant}", filter.Model, StringComparison.OrdinalIgnoreCase))
                        continue;
                    Contracts.ModelParameters parameters;
                    try { parameters = ParameterResolver.Resolve(model.Info, variant.Length == 0 ? null : variant, overrides); }
                    catch (ArgumentException e) { throw new ConfigException($"{config.SourcePath}: {at}: {e.Message}"); }
                    foreach (var seed in seeds)
                    {
                        var spec = new RunSpec
                        {
                            Suite = suiteName,
                            Dataset = dataset,
                            DatasetFingerprint = datasetFingerprint,
                            Protocol = protocol,
                            Model = model.Info.Name,
                            Variant = variant,
                            Parameters = parameters.Values,
                            Seed = seed,
                            Schedule = schedule,
                        };
                        runs.Add(new PlannedRun(spec, model, parameters));
                    }
                }
            }
        }
        return runs;
    }

    private static TrainingSchedule Schedule(ScheduleConfig suite, ScheduleConfig? entry, int? epochs, string defaultMetric) =>
        new(
            epochs ?? entry?.Epochs ?? suite.Epochs ?? DefaultEpochs,
            entry?.EvaluateEvery ?? suite.EvaluateEvery ?? DefaultEvaluateEvery,
            entry?.Patience ?? suite.Patience ?? 0,
            entry?.Metric ?? suite.Metric ?? defaultMetric);
}
