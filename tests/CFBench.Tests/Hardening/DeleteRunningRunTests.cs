using CFBench.Core.Tracking;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 7: <c>runs delete --yes</c> on a run that a live process is running refuses in one line
/// instead of pulling the store from under that process.</summary>
public class DeleteRunningRunTests
{
    [Fact]
    public void DeletingARunningRunIsRefusedAndTheRunStays()
    {
        var db = NewDatabase();
        long id;
        using (var store = RunStore.Open(db)) id = store.Start(Spec(), Provenance()); // running, in this (live) process

        var (code, output) = CliProcess.Run(RepoPaths.Root, TimeSpan.FromMinutes(2), "runs", "delete", id.ToString(), "--yes", "--db", db);

        Assert.Equal(2, code);
        var error = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains($"run {id} is running (pid {Environment.ProcessId}", error);
        using (var store = RunStore.Open(db)) Assert.Equal(RunStatus.Running, store.Require(id).Status);
    }

    [Fact]
    public void ARunWhoseProcessIsGoneCanBeDeleted()
    {
        var db = NewDatabase();
        long id;
        using (var store = RunStore.Open(db)) id = store.Start(Spec(), Provenance());
        Execute(db, $"UPDATE runs SET process_started = '2001-01-01T00:00:00.000Z' WHERE id = {id}"); // another process, long gone

        var (code, output) = CliProcess.Run(RepoPaths.Root, TimeSpan.FromMinutes(2), "runs", "delete", id.ToString(), "--yes", "--db", db);

        Assert.True(code == 0, output);
        using var after = RunStore.Open(db);
        Assert.Null(after.Get(id));
    }
}
