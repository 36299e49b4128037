using CFBench.Core.Config;
using CFBench.Core.Plugins;
using CFBench.Core.Runs;
using CFBench.Plugins.NCF;

namespace CFBench.Tests.Ncf;

/// <summary>The ncf suite of the repository's bench.json plans with the NCF plugin.</summary>
public class NcfSuiteTests
{
    private static IReadOnlyList<PlannedRun> Plan(SuiteFilter filter) =>
        new SuitePlanner(BenchConfigLoader.Load(Path.Combine(RepoPaths.Root, "bench.json")), PluginCatalog.Of(new NcfProvider()))
            .Plan("ncf", filter, _ => "fp");

    [Fact]
    public void PretrainedNeuMFPlansItsGmfAndMlpRunsFirstAndIsKeyedByThem()
    {
        var runs = Plan(new SuiteFilter(Model: "NCF/NeuMF-pre-16", Seeds: new long[] { 2 }));
        Assert.Equal(new[] { "NCF/GMF-16 2", "NCF/MLP3-16 2", "NCF/NeuMF-pre-16 2" }, runs.Select(r => $"{r.Spec.Label} {r.Spec.Seed}"));
        Assert.Equal(runs[0].Spec.Key, runs[2].Spec.Upstream["gmf"]);
        Assert.Equal(runs[1].Spec.Key, runs[2].Spec.Upstream["mlp"]);
        Assert.Equal(new long[] { 128, 64, 32, 16 }, (long[])runs[1].Spec.Parameters["layers"]);
        Assert.Equal(true, runs[2].Spec.Parameters["pretrain"]);
    }

    [Fact]
    public void TheSuiteRunsTheOfficialProtocolForTwentyEpochsOverThreeSeeds()
    {
        var runs = Plan(new SuiteFilter());
        // GMF, MLP-3, NeuMF, NeuMF-pre at 4 factor sizes, MLP-0,1,2,4 at f=8; 3 seeds each
        Assert.Equal((4 * 4 + 4) * 3, runs.Count);
        var neumf = runs.First(r => r.Spec.Label == "NCF/NeuMF-8");
        Assert.Equal("sampled", neumf.Spec.Protocol.Name);
        Assert.Equal(Core.Protocols.ModelSelection.Test, neumf.Spec.Protocol.Selection);
        Assert.Equal("drop", neumf.Spec.Protocol.DuplicateNegative);
        Assert.Equal(new[] { "hr@10", "ndcg@10" }, neumf.Spec.Protocol.MetricColumns);
        Assert.Equal(20, neumf.Spec.Schedule.Epochs);
        Assert.Equal(1, neumf.Spec.Schedule.EvaluateEvery);
        Assert.Equal(new long[] { 1, 2, 3 }, runs.Where(r => r.Spec.Label == "NCF/NeuMF-8").Select(r => r.Spec.Seed));
    }
}
