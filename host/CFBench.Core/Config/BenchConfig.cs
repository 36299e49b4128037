using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CFBench.Core.Config;

/// <summary>bench.json: defaults, named protocols and suites. Paths are relative to the file's folder.</summary>
public sealed record BenchConfig
{
    /// <summary>Folder holding the real datasets, one sub-folder per dataset (overridden by --data and CFBENCH_DATA).</summary>
    public string? DataRoot { get; init; }
    /// <summary>The run store (SQLite file).</summary>
    public string Database { get; init; } = "runs/cfbench.db";
    /// <summary>Where parsed datasets and checkpoints are cached.</summary>
    public string CacheDir { get; init; } = ".cache";
    /// <summary>Extra plugin folders, searched besides the default build output and --plugins.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = Array.Empty<string>();
    /// <summary>Extra dataset card folders (each holding <c>&lt;name&gt;/dataset.json</c>), searched after --datasets
    /// and before the datasets/ folder beside bench.json.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = Array.Empty<string>();
    public string Device { get; init; } = "auto";
    public IReadOnlyDictionary<string, ProtocolConfig> Protocols { get; init; } = new Dictionary<string, ProtocolConfig>();
    public IReadOnlyDictionary<string, SuiteConfig> Suites { get; init; } = new Dictionary<string, SuiteConfig>();

    /// <summary>The folder bench.json was read from; relative paths resolve against it.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = "";
    [JsonIgnore] public string SourcePath { get; init; } = "";

    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);
}

/// <summary>A protocol declaration: <see cref="Protocols.ProtocolOptions"/> as JSON.</summary>
public sealed record ProtocolConfig
{
    public required string Name { get; init; }
    public IReadOnlyList<int>? K { get; init; }
    public IReadOnlyList<string>? Metrics { get; init; }
    public string? Ties { get; init; }
    public string? Selection { get; init; }
    public double? ValidationFraction { get; init; }
    public int? SampledNegatives { get; init; }
    public string? DuplicateNegative { get; init; }
    public int? UserBatch { get; init; }
}

public sealed record ScheduleConfig
{
    public int? Epochs { get; init; }
    public int? EvaluateEvery { get; init; }
    public int? Patience { get; init; }
    public string? Metric { get; init; }
}

/// <summary>A suite: datasets × model entries (each with variants) × seeds, under one protocol.</summary>
public sealed record SuiteConfig
{
    public string Description { get; init; } = "";
    public required IReadOnlyList<string> Datasets { get; init; }
    /// <summary>The name of an entry of <see cref="BenchConfig.Protocols"/>.</summary>
    public required string Protocol { get; init; }
    public ScheduleConfig Schedule { get; init; } = new();
    public IReadOnlyList<long> Seeds { get; init; } = new long[] { 2020 };
    /// <summary>Label of the model variant improvements are measured against in reports.</summary>
    public string? Baseline { get; init; }
    public required IReadOnlyList<SuiteModelConfig> Models { get; init; }
    /// <summary>Published values: dataset → label → metric column → value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>? References { get; init; }
    /// <summary>Absolute difference to a reference value beyond which reports mark the cell.</summary>
    public double ReferenceTolerance { get; init; } = 0.005;
    /// <summary>Figures models report per epoch (<c>EpochReport.Extra</c>, e.g. Mult-VAE's <c>beta</c>) that reports draw
    /// as curves beside the loss, one chart per figure and dataset.</summary>
    public IReadOnlyList<string> Curves { get; init; } = Array.Empty<string>();
}

public sealed record SuiteModelConfig
{
    public required string Model { get; init; }
    /// <summary>Variants to run; empty means the model's defaults only.</summary>
    public IReadOnlyList<string> Variants { get; init; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, JsonElement> Params { get; init; } = new Dictionary<string, JsonElement>();
    public ScheduleConfig? Schedule { get; init; }
    /// <summary>Restricts this entry to some of the suite's datasets.</summary>
    public IReadOnlyList<string>? Datasets { get; init; }
    /// <summary>Runs this entry starts from (pretraining): role → the label (<c>MODEL/VARIANT</c>) of another entry of
    /// the suite. Each run of this entry depends on that entry's run with the same dataset and seed.</summary>
    public IReadOnlyDictionary<string, string>? DependsOn { get; init; }
}

/// <summary>A bench.json problem, with the JSON path it is at.</summary>
public sealed class ConfigException(string message) : Exception(message);

public static class BenchConfigLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static BenchConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"{path}: file not found");
        BenchConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<BenchConfig>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new ConfigException(JsonErrorText.Describe(path, e));
        }
        if (config is null) throw new ConfigException($"{path}: empty document");
        config = config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!, SourcePath = Path.GetFullPath(path) };
        Validate(config);
        return config;
    }

    private static void Validate(BenchConfig config)
    {
        var file = config.SourcePath;
        foreach (var (name, protocol) in config.Protocols)
        {
            var at = $"$.protocols.{name}";
            if (protocol.Name is not ("full-ranking" or "sampled" or "strong-generalization"))
                throw new ConfigException($"{file}: {at}.name: '{protocol.Name}' is not a protocol (full-ranking, sampled, strong-generalization)");
            if (protocol.K is { } ks && (ks.Count == 0 || ks.Any(k => k <= 0)))
                throw new ConfigException($"{file}: {at}.k: cut-offs must be positive");
            if (protocol.Ties is { } t && !Enum.TryParse<Protocols.TiePolicy>(t, true, out _))
                throw new ConfigException($"{file}: {at}.ties: '{t}' is not pessimistic, optimistic or expected");
            if (protocol.Selection is { } s && !Enum.TryParse<Protocols.ModelSelection>(s, true, out _))
                throw new ConfigException($"{file}: {at}.selection: '{s}' is not validation or test");
        }
        foreach (var (name, suite) in config.Suites)
        {
            var at = $"$.suites.{name}";
            if (Reporting.ReportPublisher.FolderNameProblem(name) is { } badName) throw new ConfigException($"{file}: $.suites: {badName}");
            if (!config.Protocols.ContainsKey(suite.Protocol))
                throw new ConfigException($"{file}: {at}.protocol: no protocol '{suite.Protocol}' in $.protocols");
            if (suite.Datasets.Count == 0) throw new ConfigException($"{file}: {at}.datasets: empty");
            if (suite.Models.Count == 0) throw new ConfigException($"{file}: {at}.models: empty");
            if (suite.Seeds.Count == 0) throw new ConfigException($"{file}: {at}.seeds: empty");
            if (suite.Curves.Any(string.IsNullOrWhiteSpace)) throw new ConfigException($"{file}: {at}.curves: a figure name is blank");
            for (int m = 0; m < suite.Models.Count; m++)
                foreach (var d in suite.Models[m].Datasets ?? Array.Empty<string>())
                    if (!suite.Datasets.Contains(d))
                        throw new ConfigException($"{file}: {at}.models[{m}].datasets: '{d}' is not one of the suite's datasets");
        }
    }

    /// <summary>Converts a JSON parameter value to a plain CLR value (long, double, bool, string, or an array of
    /// those for list parameters).</summary>
    /// <summary>The value as one line of JSON, cut at 60 characters (an error message shows it).</summary>
    private static string Compact(JsonElement element)
    {
        var text = JsonSerializer.Serialize(element);
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    public static object ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToArray(),
        _ => throw new ConfigException($"parameter value {Compact(element)} is not a number, string, bool or list"),
    };
}
