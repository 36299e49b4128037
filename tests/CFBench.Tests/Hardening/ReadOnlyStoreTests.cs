using CFBench.Core.Tracking;
using CFBench.Tests.Runs;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 9: the read-only commands (runs list/show/compare/export, report) open the store read-only:
/// they work on a read-only file system and never create, migrate or write anything.</summary>
public class ReadOnlyStoreTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Runs cfbench with <paramref name="database"/> copied onto a tmpfs mounted read-only, in a private user and
    /// mount namespace (no privileges needed): what a store on a read-only medium looks like.</summary>
    private static (int Code, string Output) OnReadOnlyFileSystem(string workingDirectory, string database, params string[] args)
    {
        var mount = Path.Combine(RepoPaths.TempDirectory(), "ro");
        Directory.CreateDirectory(mount);
        var copy = Path.Combine(mount, "runs.db");
        var wrapper = new[]
        {
            "unshare", "-rm", "sh", "-c",
            $"mount -t tmpfs none '{mount}' && cp '{database}' '{copy}' && mount -o remount,ro '{mount}' && exec \"$@\"", "sh",
        };
        return CliProcess.Run(wrapper, workingDirectory, Limit, args.Select(a => a == database ? copy : a).ToArray());
    }

    [Fact]
    public void ListShowExportAndReportWorkOnAReadOnlyFileSystem()
    {
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }""");
        var db = workspace.Database;
        long id;
        using (var store = RunStore.Open(db)) id = RecordRun(store, Spec(suite: "t"));
        // The mount itself must be refused writes, or this test proves nothing.
        var probe = OnReadOnlyFileSystem(workspace.Directory, db, "runs", "delete", id.ToString(), "--yes", "--db", db);
        Assert.NotEqual(0, probe.Code);

        var list = OnReadOnlyFileSystem(workspace.Directory, db, "runs", "list", "--db", db);
        Assert.True(list.Code == 0, list.Output);
        Assert.Contains("1 run(s)", list.Output);
        var show = OnReadOnlyFileSystem(workspace.Directory, db, "runs", "show", id.ToString(), "--db", db);
        Assert.True(show.Code == 0, show.Output);
        var export = OnReadOnlyFileSystem(workspace.Directory, db, "runs", "export", "--format", "json", "--db", db);
        Assert.True(export.Code == 0, export.Output);
        Assert.Contains(Spec(suite: "t").Key, export.Output);
        var output = RepoPaths.TempDirectory();
        var report = OnReadOnlyFileSystem(workspace.Directory, db, "report", "--suite", "t", "--out", output, "--db", db);
        Assert.True(report.Code == 0, report.Output);
        Assert.True(File.Exists(Path.Combine(output, "t", "index.html")));
    }

    [Fact]
    public void ReadingAnOlderStoreNeitherMigratesNorWritesIt()
    {
        var db = NewDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        using (var v2 = Raw(db))
        using (var create = v2.CreateCommand())
        {
            create.CommandText = RunStoreSchema.Migrations[0] + RunStoreSchema.Migrations[1] + $$"""
                PRAGMA application_id = {{RunStoreSchema.ApplicationId}};
                PRAGMA user_version = 2;
                INSERT INTO runs (id, key, suite, dataset, dataset_fingerprint, model, variant, seed, protocol, ties, selection, k, protocol_options, max_epochs, evaluate_every, patience, selection_metric, process_host, process_id, status, started_at)
                VALUES (7, 'x', 's', 'd', 'f', 'm', '', 1, 'p', 't', 's', '20', '{}', 1, 1, 0, 'r', 'h', 1, 'failed', '2024-01-01T00:00:00Z');
                """;
            create.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(db);
        var folder = Directory.GetFiles(Path.GetDirectoryName(db)!);

        var (code, output) = CliProcess.Run(RepoPaths.Root, Limit, "runs", "show", "7", "--db", db);

        Assert.True(code == 0, output);
        Assert.Contains("failed", output);
        Assert.Equal(before, File.ReadAllBytes(db));              // not migrated, not touched
        Assert.Equal(folder, Directory.GetFiles(Path.GetDirectoryName(db)!)); // no journal, WAL or lock file left
        Assert.Equal(2L, Scalar(db, "PRAGMA user_version"));
    }

    [Fact]
    public void AMissingStoreIsOneLineAndNotCreated()
    {
        var db = Path.Combine(RepoPaths.TempDirectory(), "none", "runs.db");
        var (code, output) = CliProcess.Run(RepoPaths.Root, Limit, "runs", "list", "--db", db);
        Assert.Equal(2, code);
        Assert.Contains("no run store there", output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)));
    }
}
