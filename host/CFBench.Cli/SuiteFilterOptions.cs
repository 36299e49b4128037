using System.CommandLine;
using System.Globalization;
using CFBench.Core.Runs;

namespace CFBench.Cli;

/// <summary>The options that narrow a suite's plan, shared by <c>run</c>, <c>plan</c> and <c>slurm submit</c>: the same
/// options plan the same runs with the same keys.</summary>
public sealed record SuiteFilterOptions(Option<string?> Dataset, Option<string?> Model, Option<string?> Seeds, Option<int?> Epochs)
{
    public static SuiteFilterOptions Create() => new(
        new Option<string?>("--dataset") { Description = "Only this dataset of the suite" },
        new Option<string?>("--model") { Description = "Only this model (NAME) or model variant (NAME/VARIANT) of the suite" },
        new Option<string?>("--seeds") { Description = "Comma-separated seeds replacing the suite's, e.g. 1,2,3" },
        new Option<int?>("--epochs") { Description = "Maximum epochs, replacing the suite's schedule" });

    public IEnumerable<Option> All => new Option[] { Dataset, Model, Seeds, Epochs };

    public SuiteFilter Read(ParseResult result) =>
        new(result.GetValue(Dataset), result.GetValue(Model), ParseSeeds(result.GetValue(Seeds)), result.GetValue(Epochs));

    /// <summary>The options given, as command-line words, to hand the same filter to another cfbench (a Slurm task).</summary>
    public IEnumerable<string> Words(ParseResult result)
    {
        if (result.GetValue(Dataset) is { } d) { yield return Dataset.Name; yield return d; }
        if (result.GetValue(Model) is { } m) { yield return Model.Name; yield return m; }
        if (result.GetValue(Seeds) is { } s) { yield return Seeds.Name; yield return s; }
        if (result.GetValue(Epochs) is { } e) { yield return Epochs.Name; yield return e.ToString(CultureInfo.InvariantCulture); }
    }

    private static IReadOnlyList<long>? ParseSeeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, out var v) ? v : throw new ArgumentException($"--seeds: '{s}' is not an integer"))
            .ToList();
    }
}
