using System.Reflection;
using CFBench.Contracts;
using McMaster.NETCore.Plugins;
using TorchSharp;

namespace CFBench.Core.Plugins;

/// <summary>Where a model came from: recorded with every run.</summary>
/// <param name="AssemblyPath">Full path of the plugin assembly.</param>
/// <param name="Version">The assembly's informational version (with the source revision when the build recorded one).</param>
/// <param name="Sha256">SHA-256 of the assembly file, lower-case hex.</param>
/// <param name="ContractVersion">The CFBench.Contracts version the plugin was compiled against.</param>
public sealed record PluginSource(string AssemblyPath, string Version, string Sha256, string ContractVersion);

/// <summary>A model the catalog found: its declaration, its factory and its plugin.</summary>
public sealed record CatalogModel(ModelInfo Info, IModelProvider Provider, PluginSource Source);

/// <summary>
/// Discovers model plugins (McMaster.NETCore.Plugins): every folder given is scanned for plugin folders
/// (<c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>); a folder that is itself a plugin folder is accepted too.
/// The contract and TorchSharp assemblies are shared with the host, so a plugin's Tensor is the host's.
/// A plugin that fails to load, throws, carries its own libtorch, or targets another contract major version
/// is skipped and reported in <see cref="Problems"/> (one line each); the others still load.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private static readonly Type[] SharedTypes = { typeof(IRecommender), typeof(CFBench.Sdk.TripletSampler), typeof(torch) };

    private readonly IReadOnlyList<PluginLoader> _loaders;

    private PluginCatalog(IReadOnlyList<CatalogModel> models, IReadOnlyList<string> problems, IReadOnlyList<PluginLoader> loaders)
    {
        Models = models;
        Problems = problems;
        _loaders = loaders;
    }

    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>One line per plugin (or model) that was skipped, naming its path and the reason.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static PluginCatalog Load(IEnumerable<string> pluginDirectories)
    {
        var problems = new List<string>();
        var models = new List<CatalogModel>();
        var loaders = new List<PluginLoader>();
        var byName = new Dictionary<string, CatalogModel>(StringComparer.OrdinalIgnoreCase);

        foreach (var assemblyPath in PluginDiscovery.FindPluginAssemblies(pluginDirectories, problems))
        {
            var loaded = LoadPlugin(assemblyPath, problems, loaders);
            foreach (var model in loaded)
            {
                if (byName.TryGetValue(model.Info.Name, out var first))
                {
                    problems.Add($"{assemblyPath}: model '{model.Info.Name}' is already provided by {first.Source.AssemblyPath}; the first one is used");
                    continue;
                }
                byName.Add(model.Info.Name, model);
                models.Add(model);
            }
        }
        return new PluginCatalog(models, problems, loaders);
    }

    /// <summary>A catalog of providers already in this process (tests, embedding hosts): each declaration is checked
    /// as a plugin's would be, and the source is the provider's assembly.</summary>
    public static PluginCatalog Of(params IModelProvider[] providers)
    {
        var models = providers.Select(p =>
        {
            ParameterResolver.CheckDeclaration(p.Info);
            var assembly = p.GetType().Assembly;
            var manifest = PluginManifest.Read(assembly.Location);
            return new CatalogModel(p.Info, p, new PluginSource(assembly.Location, manifest.Version(assembly), manifest.Sha256,
                ContractVersion.Current.ToString()));
        }).ToList();
        return new PluginCatalog(models, Array.Empty<string>(), Array.Empty<PluginLoader>());
    }

    /// <summary>Finds a model by name (case-insensitive); throws with the list of known names.</summary>
    public CatalogModel Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Info.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"unknown model '{name}'; known models: {string.Join(", ", Models.Select(m => m.Info.Name))}");

    public void Dispose()
    {
        foreach (var loader in _loaders) loader.Dispose();
    }

    private static List<CatalogModel> LoadPlugin(string assemblyPath, List<string> problems, List<PluginLoader> loaders)
    {
        var result = new List<CatalogModel>();
        if (PluginDiscovery.FindBundledTorch(Path.GetDirectoryName(assemblyPath)!) is { } bundled)
        {
            problems.Add($"{assemblyPath}: refused: the plugin folder carries its own TorchSharp/libtorch ({bundled}); " +
                         "a second libtorch aborts the process — reference TorchSharp compile-only (build/Plugin.props)");
            return result;
        }

        PluginManifest manifest;
        try
        {
            manifest = PluginManifest.Read(assemblyPath);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{assemblyPath}: not a loadable .NET assembly ({OneLine(e.Message)})");
            return result;
        }
        if (manifest.ContractVersion is not { } contract)
        {
            problems.Add($"{assemblyPath}: not a CFBench plugin (it does not reference CFBench.Contracts)");
            return result;
        }
        if (contract.Major != ContractVersion.Major)
        {
            problems.Add($"{assemblyPath}: built against contract {contract} (major {contract.Major}); this host has contract " +
                         $"{ContractVersion.Current} (major {ContractVersion.Major}) — rebuild the plugin against it");
            return result;
        }

        Assembly assembly;
        Type[] types;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = true);
            loaders.Add(loader);
            assembly = loader.LoadDefaultAssembly();
            types = assembly.GetExportedTypes();
        }
        catch (Exception e)
        {
            problems.Add($"{assemblyPath}: failed to load ({Describe(e)})");
            return result;
        }

        var source = new PluginSource(assemblyPath, manifest.Version(assembly), manifest.Sha256, contract.ToString());
        var providerTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                        && typeof(IModelProvider).IsAssignableFrom(t)
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (providerTypes.Count == 0)
        {
            problems.Add($"{assemblyPath}: no public {nameof(IModelProvider)} with a parameterless constructor");
            return result;
        }
        foreach (var type in providerTypes)
        {
            try
            {
                var provider = (IModelProvider)Activator.CreateInstance(type)!;
                var info = provider.Info ?? throw new InvalidOperationException("Info is null");
                ParameterResolver.CheckDeclaration(info);
                result.Add(new CatalogModel(info, provider, source));
            }
            catch (Exception e)
            {
                problems.Add($"{assemblyPath}: model provider {type.FullName} skipped: {Describe(e)}");
            }
        }
        return result;
    }

    private static string Describe(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException && e.InnerException is not null) e = e.InnerException!;
        if (e is ReflectionTypeLoadException { LoaderExceptions: { Length: > 0 } inner } && inner[0] is { } first) e = first;
        return $"{e.GetType().Name}: {OneLine(e.Message)}";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
