using System.CommandLine;

namespace CFBench.Cli;

/// <summary>Options accepted by every command.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "bench.json to use (default: CFBENCH_CONFIG, ./bench.json, or the one beside cfbench)",
        Recursive = true,
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Folder with the real datasets, one sub-folder each (default: CFBENCH_DATA, then bench.json dataRoot)",
        Recursive = true,
    };

    public static readonly Option<string[]> Plugins = new("--plugins")
    {
        Description = "Extra plugin folder to search (repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => Array.Empty<string>(),
    };

    public static readonly Option<string[]> Datasets = new("--datasets")
    {
        Description = "Extra folder of dataset cards, each in <name>/dataset.json (repeatable; searched before bench.json's datasets and the datasets/ folder beside it)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => Array.Empty<string>(),
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "Run store (SQLite file) to use instead of bench.json's database",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Config);
        root.Options.Add(Data);
        root.Options.Add(Plugins);
        root.Options.Add(Datasets);
        root.Options.Add(Db);
    }

    public static CliGlobals Read(ParseResult result) => new(
        result.GetValue(Config),
        result.GetValue(Data),
        result.GetValue(Plugins) ?? Array.Empty<string>(),
        result.GetValue(Db),
        result.GetValue(Datasets) ?? Array.Empty<string>());
}
