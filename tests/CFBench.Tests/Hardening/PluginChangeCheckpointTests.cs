using CFBench.Core.Tracking;
using CFBench.Core.Training;
using CFBench.Tests.Tracking;

namespace CFBench.Tests.Hardening;

/// <summary>A checkpoint written by one build of a plugin is never resumed by another build (its code, and its
/// checkpoint format, may differ): the run starts again from epoch 1.</summary>
public class PluginChangeCheckpointTests
{
    private static (RunStore Store, long Id) InterruptedAfterEpoch2()
    {
        var store = RunStore.Open(Path.Combine(RepoPaths.TempDirectory(), "runs.db"));
        var id = TrackingSamples.RecordRun(store, TrackingSamples.Spec(), finish: false);
        store.RecordCheckpoint(id, new Checkpoint("/x/last-0002.ckpt", 2, "abc"), isBest: false);
        store.Fail(id, "interrupted by the user", interrupted: true);
        return (store, id);
    }

    [Fact]
    public void TheSamePluginResumesFromItsCheckpoint()
    {
        var (store, id) = InterruptedAfterEpoch2();
        using (store)
        {
            Assert.Equal(id, store.Start(TrackingSamples.Spec(), TrackingSamples.Provenance()));
            var run = store.FindByKey(TrackingSamples.Spec().Key)!;
            Assert.Equal((2, 2), (run.LastCheckpointEpoch, run.EpochsRun));
        }
    }

    [Fact]
    public void AnotherBuildOfThePluginStartsAgainFromEpochOne()
    {
        var (store, id) = InterruptedAfterEpoch2();
        using (store)
        {
            var rebuilt = TrackingSamples.Provenance() with { PluginSha256 = "0123456789abcdef" };
            Assert.Equal(id, store.Start(TrackingSamples.Spec(), rebuilt));
            var run = store.FindByKey(TrackingSamples.Spec().Key)!;
            Assert.Null(run.LastCheckpoint);
            Assert.Equal(0, run.EpochsRun);
            Assert.Empty(run.Epochs);
        }
    }
}
