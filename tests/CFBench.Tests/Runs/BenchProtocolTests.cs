using CFBench.Cli;
using CFBench.Cli.Commands;
using CFBench.Core.Config;
using CFBench.Core.Protocols;

namespace CFBench.Tests.Runs;

/// <summary><c>cfbench bench --protocol NAME</c>: the protocol bench.json declares, always selecting on the test set.</summary>
public class BenchProtocolTests
{
    private static BenchConfig Config() => BenchConfigLoader.Load(Path.Combine(RepoPaths.Root, "bench.json"));

    [Fact]
    public void WithoutAProtocolBenchRanksAllItemsAtTwenty()
    {
        var options = BenchCommand.BenchProtocol(Config(), null);
        Assert.Equal("full-ranking", options.Name);
        Assert.Equal(new[] { 20 }, options.K);
    }

    [Fact]
    public void ANamedProtocolKeepsItsOptionsButSelectsOnTheTestSet()
    {
        var options = BenchCommand.BenchProtocol(Config(), "ncf-validation");
        Assert.Equal("sampled", options.Name);
        Assert.Equal(new[] { "hr@10", "ndcg@10" }, options.MetricColumns);
        Assert.Equal("drop", options.DuplicateNegative);
        Assert.Equal(ModelSelection.Test, options.Selection);
    }

    [Fact]
    public void AnUnknownProtocolNamesTheOnesThereAre()
    {
        var e = Assert.Throws<UserException>(() => BenchCommand.BenchProtocol(Config(), "ncf-oficial"));
        Assert.Contains("no protocol 'ncf-oficial'", e.Message);
        Assert.Contains("ncf-official", e.Message);
    }
}
