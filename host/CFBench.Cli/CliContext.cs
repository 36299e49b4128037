using CFBench.Core.Config;
using CFBench.Core.Datasets;
using CFBench.Core.Plugins;
using Spectre.Console;

namespace CFBench.Cli;

/// <summary>
/// What every command needs, resolved once from the global options: bench.json, the data root, plugin folders,
/// the run store path. Heavy parts (datasets, plugins) load on first use.
/// </summary>
public sealed class CliContext : IDisposable
{
    private BenchConfig? _config;
    private DatasetRegistry? _datasets;
    private PluginCatalog? _catalog;

    public CliContext(CliGlobals globals, IAnsiConsole console)
    {
        Globals = globals;
        Console = console;
    }

    public CliGlobals Globals { get; }
    public IAnsiConsole Console { get; }

    /// <summary>bench.json: --config, else CFBENCH_CONFIG, else ./bench.json, else the copy beside the binary.</summary>
    public BenchConfig Config => _config ??= BenchConfigLoader.Load(ConfigPath());

    public string ConfigPath()
    {
        if (Globals.ConfigPath is { } explicitPath) return Path.GetFullPath(explicitPath);
        if (Environment.GetEnvironmentVariable("CFBENCH_CONFIG") is { Length: > 0 } env) return Path.GetFullPath(env);
        var local = Path.GetFullPath("bench.json");
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "bench.json");
    }

    /// <summary>The data root: --data, else CFBENCH_DATA, else bench.json's dataRoot.</summary>
    public string? DataRoot =>
        Globals.DataRoot is { } d ? Path.GetFullPath(d)
        : Environment.GetEnvironmentVariable("CFBENCH_DATA") is { Length: > 0 } env ? Path.GetFullPath(env)
        : Config.DataRoot is { } c ? Config.Resolve(c)
        : null;

    public string DatabasePath => Globals.DatabasePath is { } db ? Path.GetFullPath(db) : Config.Resolve(Config.Database);

    public string CacheDirectory => Config.Resolve(Config.CacheDir);

    /// <summary>Card folders, first match wins: --datasets (repeatable), bench.json's datasets, the datasets/ folder
    /// beside bench.json, and the copy beside the binary. A folder named explicitly must exist.</summary>
    public IEnumerable<string> CardDirectories
    {
        get
        {
            var named = (Globals.DatasetDirectories ?? Array.Empty<string>()).Select(d => (Path: Path.GetFullPath(d), From: "--datasets"))
                .Concat(Config.Datasets.Select(d => (Path: Config.Resolve(d), From: $"{Config.SourcePath} datasets")))
                .ToList();
            if (named.FirstOrDefault(d => !Directory.Exists(d.Path)) is { Path: not null } absent)
                throw new UserException($"dataset card folder {absent.Path} (from {absent.From}) does not exist");
            return named.Select(d => d.Path)
                .Concat(new[] { Config.Resolve("datasets"), Path.Combine(AppContext.BaseDirectory, "datasets") }.Where(Directory.Exists))
                .Distinct()
                .ToList();
        }
    }

    public DatasetRegistry Datasets => _datasets ??= new DatasetRegistry(CardDirectories, DataRoot, CacheDirectory);

    /// <summary>Plugin folders: --plugins (repeatable), bench.json's plugins, and the default build output.</summary>
    public IEnumerable<string> PluginDirectories =>
        Globals.PluginDirectories.Select(Path.GetFullPath)
            .Concat(Config.Plugins.Select(Config.Resolve))
            .Append(Path.Combine(AppContext.BaseDirectory, "plugins"))
            .Distinct();

    public PluginCatalog Catalog
    {
        get
        {
            if (_catalog is not null) return _catalog;
            _catalog = PluginCatalog.Load(PluginDirectories);
            foreach (var problem in _catalog.Problems)
                Console.MarkupLineInterpolated($"[yellow]plugin skipped:[/] {problem}");
            return _catalog;
        }
    }

    public void Dispose() => _catalog?.Dispose();
}

/// <summary>The options every command accepts.</summary>
public sealed record CliGlobals(string? ConfigPath, string? DataRoot, IReadOnlyList<string> PluginDirectories, string? DatabasePath,
    IReadOnlyList<string>? DatasetDirectories = null);
