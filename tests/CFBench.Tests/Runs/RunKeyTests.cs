using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Datasets;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Tests.Tracking;

namespace CFBench.Tests.Runs;

/// <summary>Run keys cover exactly what changes a result, by name, and stay stable as options are added.</summary>
public class RunKeyTests
{
    private static RunSpec Spec() => TrackingSamples.Spec();

    [Fact]
    public void KeyOfAFixedSpecIsTheOneRecordedWhenContract2Shipped()
    {
        // A change to this value re-runs every finished run of every store: it must be deliberate.
        Assert.Equal("cb3d2b19828c7521", Spec().Key);
    }

    [Fact]
    public void EvaluationBatchSizeIsOutsideTheKey()
    {
        var spec = Spec();
        var other = spec with { Protocol = spec.Protocol with { UserBatch = 17 } };
        Assert.Equal(spec.Key, other.Key);
        Assert.NotEqual(spec.LegacyKey, other.LegacyKey);   // contract 1 hashed it
    }

    [Fact]
    public void EveryResultChangingFieldChangesTheKey()
    {
        var spec = Spec();
        var changed = new[]
        {
            spec with { Seed = spec.Seed + 1 },
            spec with { Variant = "K2" },
            spec with { DatasetFingerprint = "other" },
            spec with { Protocol = spec.Protocol with { Ties = TiePolicy.Optimistic } },
            spec with { Protocol = spec.Protocol with { ValidationFraction = 0.2 } },
            spec with { Schedule = spec.Schedule with { Patience = 3 } },
            spec with { Parameters = new Dictionary<string, object>(spec.Parameters) { ["lr"] = 0.01 } },
            spec with { Upstream = new Dictionary<string, string> { ["gmf"] = "0123456789abcdef" } },
        };
        Assert.Equal(changed.Length, changed.Select(s => s.Key).Append(spec.Key).Distinct().Count() - 1);
    }

    [Fact]
    public void EnumsAreKeyedByNameNotByPosition()
    {
        var canonical = RunKey.Canonical(Spec());
        Assert.Contains("protocol.ties=pessimistic\n", canonical);
        Assert.Contains("protocol.selection=test\n", canonical);
        Assert.DoesNotContain("user_batch", canonical);
    }

    [Fact]
    public void ParameterAddedLaterAtItsDefaultLeavesExistingKeysUnchanged()
    {
        var lr = HyperParameter.Float("lr", 0.001, "learning rate");
        var before = Info(lr);
        var after = Info(lr, HyperParameter.Int("warmup", 0, "warm-up epochs", 0, 100) with { KeyOmitsDefault = true });

        var old = KeyOf(before, new Dictionary<string, object>());
        Assert.Equal(old, KeyOf(after, new Dictionary<string, object>()));
        Assert.NotEqual(old, KeyOf(after, new Dictionary<string, object> { ["warmup"] = 5L }));
    }

    [Fact]
    public void SpeedOnlyParametersAreRecordedButNotKeyed()
    {
        var info = Info(HyperParameter.Float("lr", 0.001, "learning rate"),
            HyperParameter.Choice("kernel", "a", "kernel", "a", "b") with { AffectsResult = false });
        Assert.Equal(KeyOf(info, new Dictionary<string, object>()), KeyOf(info, new Dictionary<string, object> { ["kernel"] = "b" }));
    }

    [Fact]
    public void ListParametersAreKeyedByTheirElements()
    {
        var info = Info(HyperParameter.IntList("layers", new long[] { 64, 32, 16, 8 }, "MLP layers", 1, 4096));
        var key = KeyOf(info, new Dictionary<string, object>());
        Assert.Equal(key, KeyOf(info, new Dictionary<string, object> { ["layers"] = "[64, 32, 16, 8]" }));
        Assert.NotEqual(key, KeyOf(info, new Dictionary<string, object> { ["layers"] = new object[] { 64L, 32L, 16L } }));
        Assert.Contains("param.layers=[64,32,16,8]\n", RunKey.Canonical(SpecOf(info, new Dictionary<string, object>())));
    }

    [Fact]
    public void LegacyKeysOfTheQuickstartSuiteAreTheOnesContract1Published()
    {
        // reports/quickstart was built by contract 1 from these runs; their keys are in its provenance section.
        var config = BenchConfigLoader.Load(Path.Combine(RepoPaths.Root, "bench.json"));
        using var catalog = PluginCatalog.Load(new[] { RepoPaths.DefaultPlugins });
        var registry = new DatasetRegistry(new[] { RepoPaths.DatasetCards }, dataRoot: null, RepoPaths.TempDirectory());
        var runs = new SuitePlanner(config, catalog).Plan("quickstart", new SuiteFilter(), name => registry.Load(name).Fingerprint);
        Assert.Equal(new[] { "4107a42c610fb893", "3b3bab71ef07e363", "ce9d8bc287e65659" }, runs.Select(r => r.Spec.LegacyKey));
        Assert.All(runs, r => Assert.NotEqual(r.Spec.LegacyKey, r.Spec.Key));
    }

    [Fact]
    public void StoreAdoptsContract1KeysSoFinishedRunsAreFound()
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), "runs.db");
        var spec = Spec();
        using var store = RunStore.Open(path);
        var id = TrackingSamples.RecordRun(store, spec);
        using (var raw = TrackingSamples.Raw(path))
        {
            using var command = raw.CreateCommand();
            command.CommandText = $"UPDATE runs SET key = '{spec.LegacyKey}' WHERE id = {id}";
            command.ExecuteNonQuery();
        }
        Assert.Null(store.FindByKey(spec.Key));

        Assert.Equal(1, store.AdoptLegacyKeys(new[] { (spec.LegacyKey, spec.Key) }));
        var found = store.FindByKey(spec.Key);
        Assert.Equal((id, RunStatus.Finished), (found?.Id, found?.Status));
        Assert.Equal(0, store.AdoptLegacyKeys(new[] { (spec.LegacyKey, spec.Key) }));
    }

    private static ModelInfo Info(params HyperParameter[] parameters) =>
        new("M", "test", "paper", "description", parameters, Array.Empty<ModelVariant>());

    private static RunSpec SpecOf(ModelInfo info, Dictionary<string, object> overrides)
    {
        var parameters = ParameterResolver.Resolve(info, null, overrides);
        return Spec() with
        {
            Model = info.Name, Parameters = parameters.Values, ParametersOutsideKey = RunKey.ParametersOutsideKey(info, parameters),
        };
    }

    private static string KeyOf(ModelInfo info, Dictionary<string, object> overrides) => SpecOf(info, overrides).Key;
}
