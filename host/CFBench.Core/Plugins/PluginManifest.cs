using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace CFBench.Core.Plugins;

/// <summary>What the catalog reads from a plugin assembly before loading it: its SHA-256, its own version, and
/// the CFBench.Contracts version it was compiled against (from its assembly references, without loading it, so a
/// plugin built against another contract major is refused before the runtime binds it to this host's contract).</summary>
internal sealed record PluginManifest(string Sha256, Version AssemblyVersion, Version? ContractVersion)
{
    public const string ContractAssemblyName = "CFBench.Contracts";

    /// <summary>Throws <see cref="BadImageFormatException"/> when the file is not a .NET assembly.</summary>
    public static PluginManifest Read(string assemblyPath)
    {
        var bytes = File.ReadAllBytes(assemblyPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var pe = new PEReader(new MemoryStream(bytes, writable: false));
        if (!pe.HasMetadata) throw new BadImageFormatException("no .NET metadata");
        var metadata = pe.GetMetadataReader();
        if (!metadata.IsAssembly) throw new BadImageFormatException("a module, not an assembly");
        var own = metadata.GetAssemblyDefinition().Version;
        Version? contract = null;
        foreach (var handle in metadata.AssemblyReferences)
        {
            var reference = metadata.GetAssemblyReference(handle);
            if (metadata.StringComparer.Equals(reference.Name, ContractAssemblyName)) contract = reference.Version;
        }
        return new PluginManifest(sha, own, contract);
    }

    /// <summary>The loaded assembly's informational version, else its assembly version.</summary>
    public string Version(Assembly loaded) =>
        loaded.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } informational
            ? informational
            : AssemblyVersion.ToString();
}
