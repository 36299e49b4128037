using CFBench.Core.Protocols;

namespace CFBench.Tests.Protocols;

public class ProtocolFactoryTests
{
    [Theory]
    [InlineData("full-ranking", typeof(FullRankingProtocol))]
    [InlineData("sampled", typeof(SampledProtocol))]
    [InlineData("strong-generalization", typeof(StrongGeneralizationProtocol))]
    public void CreatesTheNamedProtocol(string name, Type type)
    {
        var options = new ProtocolOptions { Name = name };
        var protocol = ProtocolFactory.Create(options);
        Assert.IsType(type, protocol);
        Assert.Same(options, protocol.Options);
    }

    public static TheoryData<ProtocolOptions, string> BadOptions => new()
    {
        { new ProtocolOptions { Name = "leave-one-out" }, "unknown protocol 'leave-one-out'" },
        { new ProtocolOptions { K = new[] { 20, 0 } }, "cut-offs K must be positive" },
        { new ProtocolOptions { K = Array.Empty<int>() }, "cut-offs K must be positive" },
        { new ProtocolOptions { Metrics = new[] { "recall", "mrr" } }, "unknown metric 'mrr'" },
        { new ProtocolOptions { ValidationFraction = 1 }, "validation fraction" },
        { new ProtocolOptions { SampledNegatives = -1 }, "sampled negatives" },
        { new ProtocolOptions { DuplicateNegative = "merge" }, "duplicate-negative must be 'drop' or 'keep'" },
        { new ProtocolOptions { UserBatch = 0 }, "user batch" },
        { new ProtocolOptions { Ties = (TiePolicy)7 }, "tie policy" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void RejectsBadOptionsInOneLine(ProtocolOptions options, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ProtocolFactory.Create(options));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
