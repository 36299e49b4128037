using CFBench.Core.Runs;

namespace CFBench.Tests.Runs;

public class ProvenanceProbeTests
{
    [Fact]
    public void TheBundlesCommitWinsOverTheCheckoutItRunsIn()
    {
        // A bundle run from inside some other checkout (as on the GPU machine) ran the bundle's binaries.
        Assert.Equal(("0123abcd", false), ProvenanceProbe.GitState(RepoPaths.Root, "0123abcd"));
        Assert.Equal(("0123abcd", true), ProvenanceProbe.GitState(RepoPaths.Root, "0123abcd+"));
    }

    [Fact]
    public void WithoutABundleCommitTheCheckoutIsRead()
    {
        var (commit, _) = ProvenanceProbe.GitState(RepoPaths.Root, null);
        Assert.Matches("^[0-9a-f]{40}$", commit);
        Assert.Equal(("unknown", false), ProvenanceProbe.GitState(Path.GetTempPath(), null));
    }
}
