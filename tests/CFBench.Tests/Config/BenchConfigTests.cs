using CFBench.Core.Config;

namespace CFBench.Tests.Config;

public class BenchConfigTests
{
    private static string Write(string json)
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), "bench.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void TheRepositoryBenchJsonIsValid()
    {
        var config = BenchConfigLoader.Load(Path.Combine(RepoPaths.Root, "bench.json"));
        Assert.Contains("quickstart", config.Suites.Keys);
        Assert.All(config.Suites.Values, s => Assert.Contains(s.Protocol, config.Protocols.Keys));
    }

    [Fact]
    public void UnknownMemberIsReportedWithItsJsonPath()
    {
        var path = Write("""{ "protocols": { "p": { "name": "full-ranking", "kk": [20] } }, "suites": {} }""");
        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(path));
        Assert.Contains("$.protocols.p", e.Message);
        Assert.Contains("kk", e.Message);
    }

    [Fact]
    public void WrongTypeIsReportedWithItsJsonPath()
    {
        var path = Write("""{ "protocols": { "p": { "name": "full-ranking", "k": "twenty" } }, "suites": {} }""");
        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(path));
        Assert.Contains("$.protocols.p.k", e.Message);
    }

    [Fact]
    public void SuiteNamingAnUnknownProtocolIsRejected()
    {
        var path = Write("""
            { "protocols": {}, "suites": { "s": { "datasets": ["d"], "protocol": "nope", "models": [ { "model": "M" } ] } } }
            """);
        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(path));
        Assert.Contains("$.suites.s.protocol", e.Message);
    }

    [Fact]
    public void MissingRequiredMemberIsRejected()
    {
        var path = Write("""{ "protocols": { "p": { "name": "full-ranking" } }, "suites": { "s": { "protocol": "p", "models": [] } } }""");
        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(path));
        Assert.Contains("datasets", e.Message);
    }

    [Fact]
    public void UnknownProtocolNameIsRejected()
    {
        var path = Write("""{ "protocols": { "p": { "name": "leave-one-out" } }, "suites": {} }""");
        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(path));
        Assert.Contains("$.protocols.p.name", e.Message);
    }
}
