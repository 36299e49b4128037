using CFBench.Core.Protocols;
using CFBench.Core.Reporting;
using CFBench.Core.Tracking;
using CFBench.Tests.Reporting;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 11: runs of one variant with different hyper-parameters are different rows of the report,
/// named by what differs, never one row with the other "superseded".</summary>
public class ReportParameterRowsTests
{
    private static RunRecord Run(long id, long seed, double lr, double shift)
    {
        var made = ReportFixture.Make("toy-a", "LightGCN", "K3", seed, RunStatus.Finished, ModelSelection.Validation, shift, null,
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddHours(id));
        var spec = made.Spec with { Parameters = new Dictionary<string, object> { ["dim"] = 64L, ["lr"] = lr } };
        return (made with { Spec = spec }).ToRecord(id);
    }

    [Fact]
    public void TwoParameterSetsOfOneVariantAreTwoRowsNamedByTheirDifference()
    {
        var runs = new[] { Run(1, 1, 0.01, 0.0), Run(2, 2, 0.01, 0.0), Run(3, 1, 0.001, 0.3), Run(4, 2, 0.001, 0.3) };
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, ReportFixture.Suite(), runs, DateTimeOffset.UtcNow);

        Assert.Equal(0, board.RunsSuperseded);
        Assert.Equal(4, board.RunsUsed);
        var rows = Assert.Single(board.Datasets).Rows;
        Assert.Equal(new[] { "LightGCN/K3 (lr=0.001)", "LightGCN/K3 (lr=0.01)" }, rows.Select(r => r.Label));
        Assert.All(rows, r => Assert.Equal(new long[] { 1, 2 }, r.Seeds));
        var recall = rows.ToDictionary(r => r.Label, r => r.Cells.First(c => c!.Column == "recall@20")!.Mean);
        Assert.True(recall["LightGCN/K3 (lr=0.001)"] > recall["LightGCN/K3 (lr=0.01)"]); // the shifted runs, not mixed
    }

    [Fact]
    public void OneParameterSetKeepsThePlainVariantName()
    {
        var runs = new[] { Run(1, 1, 0.01, 0.0), Run(2, 2, 0.01, 0.0) };
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, ReportFixture.Suite(), runs, DateTimeOffset.UtcNow);
        Assert.Equal("LightGCN/K3", Assert.Single(Assert.Single(board.Datasets).Rows).Label);
    }
}
