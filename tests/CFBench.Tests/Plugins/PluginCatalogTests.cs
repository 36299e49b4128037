using System.Security.Cryptography;
using CFBench.Contracts;
using CFBench.Core.Plugins;

namespace CFBench.Tests.Plugins;

/// <summary>The catalog over the default plugin folder (built with the solution) and doctored copies of it.</summary>
public class PluginCatalogTests
{
    private static string BaselinesFolder => Path.Combine(RepoPaths.DefaultPlugins, "Baselines");

    [Fact]
    public void DefaultFolderOffersTheBaselinesWithTheirProvenance()
    {
        using var catalog = PluginCatalog.Load(new[] { RepoPaths.DefaultPlugins });
        var names = catalog.Models.Select(m => m.Info.Name).ToList();
        Assert.Contains("MostPop", names);
        Assert.Contains("BPR-MF", names);
        Assert.Contains("EASE", names);

        var source = catalog.Find("bpr-mf").Source;
        var dll = Path.Combine(BaselinesFolder, "Baselines.dll");
        Assert.Equal(dll, source.AssemblyPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dll))), source.Sha256);
        Assert.StartsWith("1.0.0", source.Version);
        Assert.Equal(ContractVersion.Major, Version.Parse(source.ContractVersion).Major);
    }

    [Fact]
    public void APluginFolderCanBeGivenDirectly()
    {
        using var catalog = PluginCatalog.Load(new[] { BaselinesFolder });
        Assert.Empty(catalog.Problems);
        Assert.Equal(new[] { "BPR-MF", "EASE", "MostPop" }, catalog.Models.Select(m => m.Info.Name).Order());
    }

    [Fact]
    public void PluginTensorsAreTheHostsTensors()
    {
        using var catalog = PluginCatalog.Load(new[] { BaselinesFolder });
        var provider = catalog.Find("MostPop").Provider;
        // The contract is shared: the plugin's IModelProvider is the host's type, so is the Tensor it returns.
        Assert.Same(typeof(IModelProvider).Assembly, provider.GetType().GetInterfaces().Single(i => i.Name == nameof(IModelProvider)).Assembly);
        using var model = provider.Create();
        var train = SyntheticData.Create();
        model.Initialize(train, ParameterResolver.Resolve(catalog.Find("MostPop").Info, null, new Dictionary<string, object>()), SyntheticData.Cpu(1));
        model.TrainEpoch(CancellationToken.None);
        using TorchSharp.torch.Tensor scores = model.Score(Requests.Training(train, new long[] { 0, 1 }));
        Assert.Equal(new long[] { 2, 100 }, scores.shape);
    }

    [Fact]
    public void UnknownModelNameListsTheKnownOnes()
    {
        using var catalog = PluginCatalog.Load(new[] { BaselinesFolder });
        var e = Assert.Throws<KeyNotFoundException>(() => catalog.Find("NeuMF"));
        Assert.Contains("'NeuMF'", e.Message);
        Assert.Contains("MostPop", e.Message);
    }

    [Fact]
    public void GarbageAssemblyIsReportedInOneLineAndTheOthersStillLoad()
    {
        var dir = RepoPaths.TempDirectory();
        var garbage = Path.Combine(dir, "Garbage", "Garbage.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(garbage)!);
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7)).ToArray());

        using var catalog = PluginCatalog.Load(new[] { dir, BaselinesFolder });
        var problem = Assert.Single(catalog.Problems);
        Assert.StartsWith(garbage, problem);
        Assert.Contains("not a loadable .NET assembly", problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Equal(3, catalog.Models.Count);
    }

    [Theory]
    [InlineData("libtorch_cpu.so")]
    [InlineData("runtimes/linux-x64/native/libLibTorchSharp.so")]
    [InlineData("TorchSharp.dll")]
    public void PluginFolderCarryingTorchIsRefused(string bundled)
    {
        var dir = RepoPaths.TempDirectory();
        var copy = CopyOfBaselines(dir);
        var file = Path.Combine(copy, bundled);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, new byte[16]);

        using var catalog = PluginCatalog.Load(new[] { dir });
        Assert.Empty(catalog.Models);
        var problem = Assert.Single(catalog.Problems);
        Assert.StartsWith(Path.Combine(copy, "Baselines.dll"), problem);
        Assert.Contains("refused", problem);
        Assert.Contains(bundled, problem);
    }

    [Fact]
    public void DuplicateModelNamesAreReportedAndTheFirstWins()
    {
        var dir = RepoPaths.TempDirectory();
        var copy = CopyOfBaselines(dir);
        using var catalog = PluginCatalog.Load(new[] { BaselinesFolder, dir });
        Assert.Equal(3, catalog.Models.Count);
        Assert.All(catalog.Models, m => Assert.StartsWith(BaselinesFolder, m.Source.AssemblyPath));
        Assert.Equal(3, catalog.Problems.Count);
        Assert.All(catalog.Problems, p => Assert.Contains("already provided", p));
        Assert.Contains(catalog.Problems, p => p.StartsWith(Path.Combine(copy, "Baselines.dll")) && p.Contains("'EASE'"));
    }

    [Fact]
    public void MissingFolderAndMisnamedPluginAreReported()
    {
        var dir = RepoPaths.TempDirectory();
        var misnamed = Path.Combine(dir, "Models");
        Directory.CreateDirectory(misnamed);
        File.Copy(Path.Combine(BaselinesFolder, "Baselines.dll"), Path.Combine(misnamed, "Baselines.dll"));
        var missing = Path.Combine(dir, "nowhere");

        using var catalog = PluginCatalog.Load(new[] { missing, dir });
        Assert.Empty(catalog.Models);
        Assert.Equal(2, catalog.Problems.Count);
        Assert.Contains(catalog.Problems, p => p.StartsWith(missing) && p.Contains("does not exist"));
        Assert.Contains(catalog.Problems, p => p.StartsWith(misnamed) && p.Contains("no Models.dll"));
    }

    private static string CopyOfBaselines(string parent)
    {
        var copy = Path.Combine(parent, "Baselines");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(BaselinesFolder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }
}
