using CFBench.Core.Tracking;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Tracking;

/// <summary>The model's own figures per epoch (<see cref="EpochRecord.Extra"/>) in the run store.</summary>
public class EpochExtraStoreTests
{
    [Fact]
    public void FiguresRoundTripWithTheirEpochAndGoWhenItGoes()
    {
        var path = NewDatabase();
        using var store = RunStore.Open(path);
        var id = RecordRun(store, Spec(), finish: false);

        var run = store.Require(id);
        Assert.Equal(new[] { Extra(1), Extra(2), Extra(3) }, run.Epochs.Select(e => e.Extra));
        Assert.Equal(30.0, run.Epochs[2].Extra["negative_collisions"]);

        // An epoch recorded again (a resumed run) carries its new figures only.
        store.RecordEpoch(id, new EpochRecord(3, 0.3, 1, 1, 1) { Extra = new Dictionary<string, double> { ["beta"] = 0.2 } });
        Assert.Equal(new Dictionary<string, double> { ["beta"] = 0.2 }, store.Require(id).Epochs[2].Extra);

        store.Rewind(id, 1);
        Assert.Equal(new[] { Extra(1) }, store.Require(id).Epochs.Select(e => e.Extra));
        Assert.Equal(2L, Scalar(path, $"SELECT count(*) FROM epoch_extra WHERE run_id = {id}"));

        store.Delete(id);
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM epoch_extra"));
    }

    [Fact]
    public void AnEpochWithoutFiguresReadsBackEmpty()
    {
        using var store = RunStore.Open(NewDatabase());
        var id = store.Start(Spec(), Provenance());
        store.RecordEpoch(id, new EpochRecord(1, 0.5, 1, 1, 1));
        Assert.Empty(store.Require(id).Epochs.Single().Extra);
    }

    [Fact]
    public void ASchemaTwoStoreIsMigratedKeepingItsEpochsAndTakesFigures()
    {
        var path = NewDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var v2 = Raw(path))
        using (var create = v2.CreateCommand())
        {
            create.CommandText = RunStoreSchema.Migrations[0] + RunStoreSchema.Migrations[1] + $$"""
                PRAGMA application_id = {{RunStoreSchema.ApplicationId}};
                PRAGMA user_version = 2;
                INSERT INTO runs (id, key, suite, dataset, dataset_fingerprint, model, variant, seed, protocol, ties, selection, k, protocol_options, max_epochs, evaluate_every, patience, selection_metric, process_host, process_id, status, started_at)
                VALUES (4, 'old', 's', 'd', 'f', 'm', '', 1, 'p', 't', 's', '20', '{}', 1, 1, 0, 'r', 'h', 1, 'failed', '2024-01-01T00:00:00Z');
                INSERT INTO epochs (run_id, epoch, loss, seconds, samples_per_second, peak_memory_bytes, recorded_at)
                VALUES (4, 1, 0.75, 2, 3, 4, '2024-01-01T00:00:01Z');
                """;
            create.ExecuteNonQuery();
        }

        using var store = RunStore.Open(path);
        Assert.Equal((long)RunStore.SchemaVersion, Scalar(path, "PRAGMA user_version"));
        var old = store.Require(4);
        Assert.Equal(0.75, old.Epochs.Single().Loss);
        Assert.Empty(old.Epochs.Single().Extra);

        var id = RecordRun(store, Spec());
        Assert.Equal(Extra(2), store.Require(id).Epochs[1].Extra);
    }
}
