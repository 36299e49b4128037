using System.CommandLine;
using System.Globalization;
using CFBench.Core.Runs;

namespace CFBench.Cli;

/// <summary>The options that narrow a suite's plan, shared by <c>run</c>, <c>plan</c> and <c>slurm submit</c>: the same
/// options plan the same runs with the same keys.</summary>
public sealed record SuiteFilterOptions(Option<string?> Dataset, Option<string?> Model, Option<string?> Seeds, Option<int?> Epochs)
{
    public static SuiteFilterOptions Create() => new(
        new Option<string?>("--dataset") { Description = "Only these datasets of the suite, comma-separated (e.g. gowalla,yelp2018)" },
        new Option<string?>("--model") { Description = "Only these models (NAME) or model variants (NAME/VARIANT) of the suite, comma-separated; the runs they start from (dependsOn) come along" },
        new Option<string?>("--seeds") { Description = "Comma-separated seeds replacing the suite's, e.g. 1,2,3" },
        new Option<int?>("--epochs") { Description = "Maximum epochs, replacing the suite's schedule" });

    public IEnumerable<Option> All => new Option[] { Dataset, Model, Seeds, Epochs };

    /// <summary>What the plan validator checks: the chosen datasets and models (empty: all) and epochs.</summary>
    public RunSelection Selection(ParseResult result, bool skipMissing = false) =>
        new(List(result.GetValue(Dataset)), List(result.GetValue(Model)), result.GetValue(Epochs), skipMissing);

    /// <summary>The runs of <paramref name="datasets"/> × the chosen models, each planned once (a run named twice, as
    /// LightGCN and LightGCN/K3, is one run), the runs others start from first.</summary>
    public IReadOnlyList<PlannedRun> Plan(ParseResult result, SuitePlanner planner, string suite, IEnumerable<string?> datasets,
        Func<string, string> fingerprint)
    {
        var seeds = ParseSeeds(result.GetValue(Seeds));
        var models = List(result.GetValue(Model)) is { Count: > 0 } chosen ? chosen.Select(m => (string?)m).ToList() : new List<string?> { null };
        return datasets
            .SelectMany(d => models.SelectMany(m => planner.Plan(suite, new SuiteFilter(d, m, seeds, result.GetValue(Epochs)), fingerprint)))
            .DistinctBy(r => r.Spec.Key)
            .ToList();
    }

    /// <summary>The chosen datasets (null: all of the suite's).</summary>
    public IEnumerable<string?> Datasets(ParseResult result) =>
        List(result.GetValue(Dataset)) is { Count: > 0 } chosen ? chosen : new string?[] { null };

    /// <summary>The options given, as command-line words, to hand the same filter to another cfbench (a Slurm task).</summary>
    public IEnumerable<string> Words(ParseResult result)
    {
        if (result.GetValue(Dataset) is { } d) { yield return Dataset.Name; yield return d; }
        if (result.GetValue(Model) is { } m) { yield return Model.Name; yield return m; }
        if (result.GetValue(Seeds) is { } s) { yield return Seeds.Name; yield return s; }
        if (result.GetValue(Epochs) is { } e) { yield return Epochs.Name; yield return e.ToString(CultureInfo.InvariantCulture); }
    }

    private static IReadOnlyList<string> List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Array.Empty<string>();

    private static IReadOnlyList<long>? ParseSeeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, out var v) ? v : throw new ArgumentException($"--seeds: '{s}' is not an integer"))
            .ToList();
    }
}
