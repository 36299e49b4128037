using System.Security.Cryptography;
using CFBench.Contracts;
using CFBench.Core.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Plugins;

/// <summary>Plugins built outside the solution (tests/fixtures), loaded from a folder of their own.</summary>
[Collection(PluginBuildsCollection.Name)]
public class OutOfTreePluginTests(FixturePlugins fixture) : IClassFixture<FixturePlugins>
{
    [Fact]
    public void OutOfTreePluginLoadsTrainsAndScores()
    {
        using var catalog = PluginCatalog.Load(new[] { fixture.Plugins });
        var model = catalog.Find("OutOfTree-ItemBias");
        var dll = Path.Combine(fixture.Plugins, "OutOfTreePlugin", "OutOfTreePlugin.dll");
        Assert.Equal(dll, model.Source.AssemblyPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dll))), model.Source.Sha256);
        Assert.Equal(ContractVersion.Current.ToString(), model.Source.ContractVersion);

        var train = SyntheticData.Create();
        using var recommender = model.Provider.Create();
        recommender.Initialize(train, ParameterResolver.Resolve(model.Info, null, new Dictionary<string, object>()), SyntheticData.Cpu(3));
        var first = recommender.TrainEpoch(CancellationToken.None);
        EpochReport last = first;
        for (int epoch = 0; epoch < 30; epoch++) last = recommender.TrainEpoch(CancellationToken.None);
        Assert.Equal(train.Interactions, first.Samples);
        Assert.True(last.Loss < first.Loss, $"loss {first.Loss} -> {last.Loss}");

        using var scores = recommender.Score(Requests.Training(train, new long[] { 0, 5, 9 }));
        Assert.Equal(new long[] { 3, train.Items }, scores.shape);
        // The learned bias follows popularity: the most popular item outscores the least popular one.
        var counts = train.UserItems.ColumnCounts();
        var popular = Array.IndexOf(counts, counts.Max());
        var rare = Array.IndexOf(counts, counts.Min());
        Assert.True(scores[0, popular].item<float>() > scores[0, rare].item<float>());

        using var candidates = tensor(new long[] { popular, rare, 1, 2 }, dtype: int64).view(1, 4).expand(3, 4).contiguous();
        using var picked = recommender.Score(Requests.Training(train, new long[] { 0, 5, 9 }, candidates));
        using var expected = scores.gather(1, candidates);
        Assert.True(picked.eq(expected).all().item<bool>());
    }

    [Fact]
    public void ProvidersThatThrowAreSkippedWithOneLineEachAndTheOthersLoad()
    {
        using var catalog = PluginCatalog.Load(new[] { fixture.Plugins, RepoPaths.DefaultPlugins });
        var dll = Path.Combine(fixture.Plugins, "ThrowingPlugin", "ThrowingPlugin.dll");
        var fromThrowing = catalog.Problems.Where(p => p.StartsWith(dll)).ToList();
        Assert.Equal(2, fromThrowing.Count);
        Assert.Contains(fromThrowing, p => p.Contains("ThrowingConstructorProvider") && p.Contains("fixture: this constructor always fails"));
        Assert.Contains(fromThrowing, p => p.Contains("ThrowingInfoProvider") && p.Contains("fixture: this Info always fails"));
        Assert.All(catalog.Problems, p => Assert.DoesNotContain('\n', p));

        var names = catalog.Models.Select(m => m.Info.Name).ToList();
        Assert.Contains("OutOfTree-ItemBias", names);
        Assert.Contains("BPR-MF", names);
        Assert.Contains("EASE", names);
        Assert.Contains("MostPop", names);
    }

    [Fact]
    public void PluginBuiltAgainstAnotherContractMajorIsRefused()
    {
        var otherMajor = Path.Combine(fixture.OtherMajorPlugins, "OutOfTreePlugin", "OutOfTreePlugin.dll");
        using var catalog = PluginCatalog.Load(new[] { fixture.OtherMajorPlugins, fixture.Plugins });
        var problem = Assert.Single(catalog.Problems, p => p.StartsWith(otherMajor));
        Assert.Contains("contract 9.0.0.0", problem);
        Assert.Contains($"major {ContractVersion.Major}", problem);
        // The same plugin built against this host's contract still loads.
        var model = catalog.Find("OutOfTree-ItemBias");
        Assert.StartsWith(fixture.Plugins, model.Source.AssemblyPath);
    }
}
