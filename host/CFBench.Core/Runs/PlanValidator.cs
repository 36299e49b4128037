using CFBench.Core.Config;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Metrics;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;

namespace CFBench.Core.Runs;

/// <summary>What <c>cfbench run</c> was asked for on the command line: lists of datasets and models (NAME or
/// NAME/VARIANT; empty: all of the suite's), the epochs override, and whether datasets without their files are
/// skipped instead of refused.</summary>
public sealed record RunSelection(IReadOnlyList<string> Datasets, IReadOnlyList<string> Models, int? Epochs, bool SkipMissing);

/// <summary>The outcome of <see cref="PlanValidator.Validate"/>: every problem (one line each), the datasets to run,
/// and those skipped for missing files (with why).</summary>
public sealed record PlanCheck(IReadOnlyList<string> Problems, IReadOnlyList<string> Datasets, IReadOnlyList<string> Skipped);

/// <summary>
/// Checks a whole run plan before any data is loaded or any model trains: the suite, its protocol's metrics, the
/// schedules (positive epochs and evaluation interval, a selection metric the protocol computes), every model, variant,
/// parameter name and value, the baseline, the command-line selection, and that each dataset has a card and its files.
/// Collects every problem instead of stopping at the first, so a user fixes them in one go.
/// </summary>
public sealed class PlanValidator(BenchConfig config, PluginCatalog catalog, DatasetRegistry datasets)
{
    public PlanCheck Validate(string suiteName, RunSelection selection)
    {
        var problems = new List<string>();
        if (!config.Suites.TryGetValue(suiteName, out var suite))
            return new PlanCheck(new[] { $"no suite '{suiteName}' in {config.SourcePath}; suites: {string.Join(", ", config.Suites.Keys)}" },
                Array.Empty<string>(), Array.Empty<string>());
        var file = config.SourcePath;
        var at = $"$.suites.{suiteName}";

        var columns = new List<string>();
        if (config.Protocols.TryGetValue(suite.Protocol, out var protocol))
        {
            foreach (var metric in protocol.Metrics ?? Array.Empty<string>())
                if (!MetricColumn.KnownNames.Contains(metric))
                    problems.Add($"{file}: $.protocols.{suite.Protocol}.metrics: unknown metric '{metric}' (known: {string.Join(", ", MetricColumn.KnownNames)})");
            var options = protocol.ToOptions();
            columns.AddRange((options with { Metrics = options.Metrics.Where(MetricColumn.KnownNames.Contains).ToList() }).MetricColumns);
        }

        if (selection.Epochs is { } epochs && epochs < 1)
            problems.Add($"--epochs: {epochs} is not a positive number of epochs");
        CheckSchedule(problems, $"{file}: {at}.schedule", suite.Schedule, columns, suite.Protocol);

        var labels = new List<string>();
        for (int m = 0; m < suite.Models.Count; m++)
        {
            var entry = suite.Models[m];
            var entryAt = $"{file}: {at}.models[{m}]";
            if (entry.Schedule is { } schedule) CheckSchedule(problems, $"{entryAt}.schedule", schedule, columns, suite.Protocol);
            CatalogModel model;
            try { model = catalog.Find(entry.Model); }
            catch (KeyNotFoundException e) { problems.Add($"{entryAt}.model: {ErrorText.FirstLine(e.Message).Trim('"')}"); continue; }
            if (protocol is not null && SuitePlanner.CannotScore(model.Info, suite.Protocol, protocol.ToOptions()) is { } unscorable)
                problems.Add($"{entryAt}.model: {unscorable}");
            var overrides = new Dictionary<string, object>();
            foreach (var (name, value) in entry.Params)
            {
                try { overrides[name] = BenchConfigLoader.ToValue(value); }
                catch (ConfigException e) { problems.Add($"{entryAt}.params.{name}: {e.Message}"); }
            }
            foreach (var variant in entry.Variants.Count > 0 ? entry.Variants : new[] { "" })
            {
                labels.Add(variant.Length == 0 ? model.Info.Name : $"{model.Info.Name}/{variant}");
                try { ParameterResolver.Resolve(model.Info, variant.Length == 0 ? null : variant, overrides); }
                catch (ArgumentException e) { problems.Add($"{entryAt}: {e.Message}"); }
            }
        }
        if (suite.Baseline is { } baseline && !labels.Contains(baseline, StringComparer.Ordinal))
            problems.Add($"{file}: {at}.baseline: '{baseline}' is not one of the suite's models ({string.Join(", ", labels)})");

        foreach (var wanted in selection.Models) CheckModelSelection(problems, suiteName, suite, wanted);

        foreach (var wanted in selection.Datasets.Where(d => !suite.Datasets.Contains(d)))
            problems.Add($"--dataset: suite '{suiteName}' has no dataset '{wanted}'; its datasets: {string.Join(", ", suite.Datasets)}");
        var chosen = suite.Datasets.Where(d => selection.Datasets.Count == 0 || selection.Datasets.Contains(d)).ToList();
        var run = new List<string>();
        var skipped = new List<string>();
        foreach (var name in chosen)
        {
            var missing = MissingData(name, problems);
            if (missing is null) run.Add(name);
            else if (selection.SkipMissing) skipped.Add(missing);
            else problems.Add($"{missing} (or give --skip-missing to run the suite's other datasets)");
        }
        if (problems.Count == 0 && run.Count == 0)
            problems.Add($"suite '{suiteName}': no dataset left to run (all skipped: their files are missing)");
        return new PlanCheck(problems, run, skipped);
    }

    private static void CheckSchedule(List<string> problems, string at, ScheduleConfig schedule, IReadOnlyList<string> columns, string protocol)
    {
        if (schedule.Epochs is { } epochs && epochs < 1) problems.Add($"{at}.epochs: {epochs} is not a positive number of epochs");
        if (schedule.EvaluateEvery is { } every && every < 1) problems.Add($"{at}.evaluateEvery: {every} must be at least 1");
        if (schedule.Patience is { } patience && patience < 0) problems.Add($"{at}.patience: {patience} must not be negative");
        if (schedule.Metric is { } metric && columns.Count > 0 && !columns.Contains(metric))
            problems.Add($"{at}.metric: '{metric}' is not computed by protocol '{protocol}' (it computes {string.Join(", ", columns)})");
    }

    private void CheckModelSelection(List<string> problems, string suiteName, SuiteConfig suite, string wanted)
    {
        var slash = wanted.IndexOf('/');
        var name = slash < 0 ? wanted : wanted[..slash];
        var entries = suite.Models.Where(m => string.Equals(m.Model, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (entries.Count == 0)
        {
            problems.Add($"--model: suite '{suiteName}' has no model '{name}'; its models: {string.Join(", ", suite.Models.Select(m => m.Model).Distinct())}");
            return;
        }
        if (slash < 0) return;
        var variant = wanted[(slash + 1)..];
        var variants = entries.SelectMany(e => e.Variants).Distinct().ToList();
        if (!variants.Contains(variant, StringComparer.OrdinalIgnoreCase))
        {
            var offered = catalog.Models.FirstOrDefault(m => string.Equals(m.Info.Name, name, StringComparison.OrdinalIgnoreCase))?.Info.Variants
                .Select(v => v.Name).ToList() ?? new List<string>();
            problems.Add($"--model: suite '{suiteName}' runs no variant '{variant}' of {entries[0].Model}; its variants: " +
                (variants.Count == 0 ? "none (the model's defaults only)" : string.Join(", ", variants)) +
                (offered.Count > 0 ? $" (the model offers: {string.Join(", ", offered)})" : ""));
        }
    }

    /// <summary>Why a dataset cannot be loaded (no card, no data root, files missing), or null when its files are there.
    /// A card that is itself wrong (unknown format, a path outside the data root) is a problem, never skipped.</summary>
    private string? MissingData(string name, List<string> problems)
    {
        DatasetCard card;
        IReadOnlyList<string> needed;
        try
        {
            card = datasets.Find(name);
            needed = DatasetReaders.For(card).FilesToRead(card);
        }
        catch (DatasetException e)
        {
            problems.Add(e.Message);
            return null;
        }
        if (!card.Bundled && datasets.DataRoot is null)
            return $"dataset '{name}': no data root (give --data, CFBENCH_DATA or bench.json dataRoot)";
        if (!card.Bundled && !Directory.Exists(datasets.DataRoot))
            return $"dataset '{name}': the data root {datasets.DataRoot} does not exist";
        var located = datasets.Locate(card);
        var refused = located.Select(f => f.Problem).OfType<string>().Distinct().ToList();
        if (refused.Count > 0)
        {
            problems.AddRange(refused);
            return null;
        }
        var missing = needed.Where(f => !located.Any(l => l.File.Name == f && l.Exists)).ToList();
        var undeclared = needed.Where(f => card.Files.All(d => d.Name != f)).ToList();
        if (undeclared.Count > 0)
        {
            problems.Add($"dataset '{name}': the {card.Format} reader reads {string.Join(", ", undeclared)}, which the card does not declare in 'files'");
            return null;
        }
        if (missing.Count == 0) return null;
        return $"dataset '{name}': missing {string.Join(", ", missing)} under {datasets.DirectoryOf(card)}" +
            (card.Obtain is { Length: > 0 } obtain ? $"; get them from: {obtain}" : "");
    }
}
