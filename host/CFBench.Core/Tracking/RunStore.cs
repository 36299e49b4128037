using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CFBench.Core.Tracking;

/// <summary>
/// The experiment-tracking store: one SQLite file (WAL, foreign keys, busy timeout) holding every run's spec,
/// provenance, epochs, evaluations and final results. It is the <see cref="IRunRecorder"/> the trainer writes to
/// and the query API reports read from. Safe to share between threads; several processes may write one file.
/// Every problem with the file surfaces as a one-line <see cref="RunStoreException"/> naming it.
/// </summary>
public sealed partial class RunStore : IRunRecorder, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly RunStoreOptions _options;

    private RunStore(string path, SqliteConnection connection, RunStoreOptions options)
    {
        FilePath = path;
        _connection = connection;
        _options = options;
    }

    /// <summary>The database file (absolute).</summary>
    public string FilePath { get; }

    /// <summary>The schema version this build writes and reads.</summary>
    public static int SchemaVersion => RunStoreSchema.LatestVersion;

    /// <summary>Opens (creating the file and its folder when missing) and migrates the store at <paramref name="path"/>.</summary>
    public static RunStore Open(string path, RunStoreOptions? options = null)
    {
        options ??= RunStoreOptions.Default;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new RunStoreException($"{full}: is a folder, not a database file");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException($"{full}: cannot create its folder: {e.Message}", e);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString());
        var store = new RunStore(full, connection, options);
        try
        {
            store.Guard(() =>
            {
                connection.Open();
                connection.Execute($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
                store.CheckAndMigrate();
            });
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing store for reading only (runs list/show/compare/export, report): nothing is created, migrated
    /// or written, so a store on a read-only file system, or a read-only file, can be read. When SQLite cannot open
    /// the write-ahead log beside a read-only file, the file is opened as immutable (nobody can be writing it then); a
    /// store of an older schema is read from an in-memory copy migrated there.
    /// </summary>
    public static RunStore OpenReadOnly(string path, RunStoreOptions? options = null)
    {
        options ??= RunStoreOptions.Default;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new RunStoreException($"{full}: is a folder, not a database file");
        if (!File.Exists(full)) throw new RunStoreException($"{full}: no run store there");
        try
        {
            return OpenReadOnly(full, options, immutable: false);
        }
        catch (RunStoreException e) when (e.InnerException is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_READONLY })
        {
            return OpenReadOnly(full, options, immutable: true);
        }
    }

    private static RunStore OpenReadOnly(string full, RunStoreOptions options, bool immutable)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(full).AbsoluteUri + "?immutable=1" : full,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString());
        var store = new RunStore(full, connection, options);
        try
        {
            return store.Guard(() =>
            {
                connection.Open();
                connection.Execute($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
                var (applicationId, version, objects) = store.ReadHeader();
                store.CheckHeader(applicationId, version, objects);
                if (applicationId != RunStoreSchema.ApplicationId)
                    throw new RunStoreException($"{full}: is an empty database, not a CFBench run store");
                if (version == RunStoreSchema.LatestVersion) return store;

                var memory = new SqliteConnection("Data Source=:memory:;Pooling=False");
                memory.Open();
                connection.BackupDatabase(memory);
                connection.Dispose();
                var migrated = new RunStore(full, memory, options);
                using var tx = memory.BeginTransaction();
                for (int v = version; v < RunStoreSchema.LatestVersion; v++)
                    memory.Execute(RunStoreSchema.Migrations[v], transaction: tx);
                tx.Commit();
                return migrated;
            });
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void CheckAndMigrate()
    {
        var (applicationId, version, objects) = ReadHeader();
        CheckHeader(applicationId, version, objects);
        // WAL lets readers work while a run writes; FULL makes every commit durable when it returns.
        _connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL");
        _connection.Execute("PRAGMA synchronous = FULL");
        if (version == RunStoreSchema.LatestVersion) return;

        using var tx = _connection.BeginTransaction(deferred: false);
        (applicationId, version, objects) = ReadHeader(); // another process may have migrated meanwhile
        CheckHeader(applicationId, version, objects);
        for (int v = version; v < RunStoreSchema.LatestVersion; v++)
            _connection.Execute(RunStoreSchema.Migrations[v], transaction: tx);
        _connection.Execute($"PRAGMA application_id = {RunStoreSchema.ApplicationId}", transaction: tx);
        _connection.Execute($"PRAGMA user_version = {RunStoreSchema.LatestVersion}", transaction: tx);
        tx.Commit();
    }

    /// <summary>One statement, so one snapshot: read separately, another process's migration could commit in between
    /// and the file would look like "tables but no CFBench header".</summary>
    private (int ApplicationId, int Version, long Objects) ReadHeader() =>
        _connection.QuerySingle<(int, int, long)>(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version), " +
            "(SELECT count(*) FROM sqlite_master)");

    private void CheckHeader(int applicationId, int version, long objects)
    {
        if (applicationId == RunStoreSchema.ApplicationId)
        {
            if (version > RunStoreSchema.LatestVersion)
                throw new RunStoreException($"{FilePath}: the run store has schema version {version}, newer than this cfbench knows ({RunStoreSchema.LatestVersion}); use a newer cfbench");
            return;
        }
        if (applicationId != 0 || version != 0 || objects != 0)
            throw new RunStoreException($"{FilePath}: is an SQLite database but not a CFBench run store");
    }

    /// <summary>Runs <paramref name="action"/> under the store's lock, turning SQLite errors into one-line
    /// <see cref="RunStoreException"/>s.</summary>
    private T Guard<T>(Func<T> action)
    {
        lock (_gate)
        {
            try
            {
                return action();
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
        }
    }

    private void Guard(Action action) => Guard(() => { action(); return 0; });

    private RunStoreException Translate(SqliteException e)
    {
        var what = e.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
                $"database is locked by another process (waited {_options.BusyTimeout.TotalSeconds:0.#} s)",
            SQLitePCL.raw.SQLITE_NOTADB => "file is not a database (corrupt, or not an SQLite file)",
            SQLitePCL.raw.SQLITE_CORRUPT => "database file is corrupt",
            SQLitePCL.raw.SQLITE_CANTOPEN => "cannot open the database file",
            SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_AUTH => "database is read-only",
            SQLitePCL.raw.SQLITE_FULL => "disk is full",
            SQLitePCL.raw.SQLITE_IOERR => "disk I/O error",
            _ => OneLine(e.Message),
        };
        return new RunStoreException($"{FilePath}: {what}", e);
    }

    private static string OneLine(string message)
    {
        var line = ErrorText.FirstLine(message).Trim();
        return line.StartsWith("SQLite Error", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var at
            ? line[(at + 2)..].Trim('\'', '.', ' ')
            : line;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Now() => FormatTime(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }
}
