using CFBench.Contracts;

namespace CFBench.Core.Plugins;

/// <summary>Where a model came from: recorded with every run.</summary>
public sealed record PluginSource(string AssemblyPath, string Version, string Sha256, string ContractVersion);

/// <summary>A model the catalog found: its declaration, its factory and its plugin.</summary>
public sealed record CatalogModel(ModelInfo Info, IModelProvider Provider, PluginSource Source);

/// <summary>
/// Discovers model plugins (McMaster.NETCore.Plugins): every folder given is scanned for plugin folders
/// (<c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>). The contract and TorchSharp assemblies are shared with the host.
/// A plugin that fails to load, throws, or targets another contract major version is skipped and reported
/// in <see cref="Problems"/> (one line each); the others still load.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private PluginCatalog(IReadOnlyList<CatalogModel> models, IReadOnlyList<string> problems)
    {
        Models = models;
        Problems = problems;
    }

    public IReadOnlyList<CatalogModel> Models { get; }
    public IReadOnlyList<string> Problems { get; }

    public static PluginCatalog Load(IEnumerable<string> pluginDirectories) =>
        throw new NotImplementedException("PluginCatalog.Load");

    /// <summary>Finds a model by name (case-insensitive); throws with the list of known names.</summary>
    public CatalogModel Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Info.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"unknown model '{name}'; known models: {string.Join(", ", Models.Select(m => m.Info.Name))}");

    public void Dispose() { }
}
