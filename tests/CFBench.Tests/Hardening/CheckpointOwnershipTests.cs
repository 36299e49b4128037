using CFBench.Core.Tracking;
using CFBench.Core.Training;
using CFBench.Tests.Runs;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 1: checkpoints belong to their store and run. Two stores sharing a cache folder never
/// resume from each other; a finished run keeps only its best checkpoint, recorded with its checksum; deleting a run
/// deletes its files, so running it again trains from epoch 1.</summary>
public class CheckpointOwnershipTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private const string BprMf = """{ "model": "BPR-MF", "params": { "lr": 0.01 } }""";

    private static RunRecord Single(string database)
    {
        using var store = RunStore.Open(database);
        return Assert.Single(store.List(null, RunDetail.History));
    }

    private static void Run(SuiteWorkspace workspace, params string[] extra)
    {
        var (code, log) = CliProcess.Run(workspace.Directory, Limit, new[] { "run", "--suite", "t" }.Concat(extra).ToArray());
        Assert.True(code == 0, log);
    }

    [Fact]
    public void AFreshStoreBesideAnotherTrainsItsOwnRunFromEpochOne()
    {
        var workspace = new SuiteWorkspace(BprMf, epochs: 3, evaluateEvery: 1);
        var first = Path.Combine(workspace.Directory, "a.db");
        var second = Path.Combine(workspace.Directory, "b.db");
        Run(workspace, "--db", first);
        Run(workspace, "--db", second);

        var a = Single(first);
        var b = Single(second);
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(new[] { 1, 2, 3 }, b.Epochs.Select(e => e.Epoch)); // trained, not restored from a.db's checkpoint
        Assert.Equal(a.TestMetrics, b.TestMetrics);
        Assert.StartsWith(first + ".checkpoints" + Path.DirectorySeparatorChar, a.CheckpointPath);
        Assert.StartsWith(second + ".checkpoints" + Path.DirectorySeparatorChar, b.CheckpointPath);
        Assert.False(Directory.Exists(Path.Combine(workspace.Directory, "cache", "checkpoints")));
    }

    [Fact]
    public void AFinishedRunKeepsOnlyItsVouchedBestCheckpointAndDeleteRemovesIt()
    {
        var workspace = new SuiteWorkspace(BprMf, epochs: 3, evaluateEvery: 1);
        Run(workspace);
        var run = Single(workspace.Database);
        var folder = Path.Combine(workspace.Database + ".checkpoints", run.Id.ToString());
        Assert.Equal(new[] { Path.GetFileName(run.CheckpointPath) }, Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(CheckpointFile.Sha256(run.CheckpointPath!), run.CheckpointSha256);
        Assert.Null(run.LastCheckpointPath);

        var (deleted, log) = CliProcess.Run(workspace.Directory, Limit, "runs", "delete", run.Id.ToString(), "--yes");
        Assert.True(deleted == 0, log);
        Assert.False(Directory.Exists(folder));

        Run(workspace);
        var again = Single(workspace.Database);
        Assert.NotEqual(run.Id, again.Id);
        Assert.Equal(new[] { 1, 2, 3 }, again.Epochs.Select(e => e.Epoch));
        Assert.Equal(run.TestMetrics, again.TestMetrics);
    }

    [Fact]
    public void KeepCheckpointsKeepsTheLastOneBesideTheBest()
    {
        var workspace = new SuiteWorkspace(BprMf, epochs: 3, evaluateEvery: 1);
        Run(workspace, "--keep-checkpoints");
        var run = Single(workspace.Database);
        Assert.Equal(3, run.LastCheckpointEpoch);
        Assert.Equal(CheckpointFile.Sha256(run.LastCheckpointPath!), run.LastCheckpointSha256);
        Assert.True(File.Exists(run.CheckpointPath));
    }
}
