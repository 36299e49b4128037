using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CFBench.Core.Tracking;

/// <summary>What merging one store into another did: counts by outcome, and one line per conflict.</summary>
public sealed record StoreMergeReport(string Source, int Added, int Replaced, int Unchanged, int KeptTarget, IReadOnlyList<string> Conflicts);

// Merging another store into this one by run key (cfbench runs merge): how shard stores of a Slurm array become one.
public sealed partial class RunStore
{
    /// <summary>A table holding rows of a run besides <c>runs</c>: its rows belong to the row of <paramref name="Owner"/>
    /// named by <paramref name="OwnerColumn"/>. <paramref name="FreshId"/>, when set, is the table's own id column,
    /// given anew in the target (child tables then follow the new ids).</summary>
    internal sealed record MergedTable(string Name, string OwnerColumn, string Owner, string? FreshId = null);

    /// <summary>Every table with rows of a run, owners before their children. A table added by a later migration needs
    /// one line here (a test fails until it has one); columns are read from the schema, so new columns need nothing.</summary>
    internal static readonly IReadOnlyList<MergedTable> MergedTables = new MergedTable[]
    {
        new("run_parameters", "run_id", "runs"),
        new("epochs", "run_id", "runs"),
        new("epoch_extra", "run_id", "runs"),
        new("evaluations", "run_id", "runs", FreshId: "id"),
        new("evaluation_metrics", "evaluation_id", "evaluations"),
        new("results", "run_id", "runs"),
        new("result_metrics", "run_id", "runs"),
    };

    /// <summary>Tables that hold no run's rows and are not merged.</summary>
    internal static readonly IReadOnlyList<string> UnmergedTables = new[] { "run_ids" };

    /// <summary>
    /// Merges the runs of the store at <paramref name="sourcePath"/> into this one by run key, in one transaction:
    /// a key this store lacks is copied with a fresh run id (provenance, history, results and per-user vectors kept);
    /// a finished run replaces an unfinished one (and an unfinished one with more epochs a lesser one); two finished
    /// runs with different test results are a conflict, reported in one line and left as they are. Merging the
    /// same store again changes nothing.
    /// </summary>
    public StoreMergeReport Merge(string sourcePath)
    {
        var source = Path.GetFullPath(sourcePath);
        if (string.Equals(source, FilePath, StringComparison.Ordinal))
            throw new RunStoreException($"{source}: cannot merge a store into itself");
        if (!File.Exists(source)) throw new RunStoreException($"{source}: no such run store");
        using (Open(source)) { } // a CFBench store, migrated to this schema

        return Guard(() =>
        {
            _connection.Execute("ATTACH DATABASE @source AS source", new { source });
            try
            {
                using var tx = _connection.BeginTransaction(deferred: false);
                var report = MergeAttached(source, tx);
                tx.Commit();
                return report;
            }
            finally
            {
                _connection.Execute("DETACH DATABASE source");
            }
        });
    }

    private StoreMergeReport MergeAttached(string source, SqliteTransaction tx)
    {
        int added = 0, replaced = 0, unchanged = 0, kept = 0;
        var conflicts = new List<string>();
        var runs = new Dictionary<long, long>(); // source run id -> target run id, for the runs copied
        foreach (var theirs in _connection.Query<MergeRow>($"SELECT {MergeRow.Columns} FROM source.runs ORDER BY id", transaction: tx).ToList())
        {
            var ours = _connection.QuerySingleOrDefault<MergeRow>($"SELECT {MergeRow.Columns} FROM main.runs WHERE key = @Key", theirs, tx);
            if (ours is null)
            {
                runs[theirs.Id] = CopyRun(theirs.Id, tx);
                added++;
            }
            else if (ours.Finished && theirs.Finished)
            {
                if (DifferentResults(ours.Id, theirs.Id, tx) is { } difference)
                    conflicts.Add($"{source}: conflict: run {theirs.Key} ({theirs.Describe()}) is finished in both stores with " +
                                  $"different results ({difference}); kept run {ours.Id} of {FilePath}");
                else unchanged++;
            }
            else if (theirs.Finished || (!ours.Finished && theirs.EpochsRun > ours.EpochsRun))
            {
                _connection.Execute("DELETE FROM main.runs WHERE id = @Id", new { ours.Id }, tx);
                runs[theirs.Id] = CopyRun(theirs.Id, tx);
                replaced++;
            }
            else if (ours.Finished || ours.EpochsRun > theirs.EpochsRun) kept++;
            else unchanged++;
        }

        var owners = new Dictionary<string, Dictionary<long, long>> { ["runs"] = runs };
        foreach (var table in MergedTables)
            owners[table.Name] = CopyRows(table, owners[table.Owner], tx);
        return new StoreMergeReport(source, added, replaced, unchanged, kept, conflicts);
    }

    /// <summary>Copies one run row (every column but its id) and returns its id here: the next after every id this
    /// store ever gave (run_ids), as <see cref="Start"/> gives.</summary>
    private long CopyRun(long sourceId, SqliteTransaction tx)
    {
        var columns = string.Join(", ", ColumnNames("runs", tx).Where(c => c != "id").Select(Quote));
        return _connection.ExecuteScalar<long>(
            $"INSERT INTO main.runs (id, {columns}) SELECT (SELECT last + 1 FROM main.run_ids), {columns} FROM source.runs WHERE id = @sourceId RETURNING id",
            new { sourceId }, tx);
    }

    /// <summary>Copies the rows of <paramref name="table"/> owned by the copied owners, pointing them at the owners'
    /// ids here; returns the id map of the table's own rows when it has fresh ids.</summary>
    private Dictionary<long, long> CopyRows(MergedTable table, Dictionary<long, long> owners, SqliteTransaction tx)
    {
        var ids = new Dictionary<long, long>();
        var columns = ColumnNames(table.Name, tx).Where(c => c != table.FreshId && c != table.OwnerColumn).Select(Quote).ToList();
        var names = string.Join(", ", columns.Prepend(Quote(table.OwnerColumn)));
        var values = string.Join(", ", columns.Prepend("@target"));
        foreach (var (sourceOwner, target) in owners)
        {
            if (table.FreshId is not { } idColumn)
            {
                _connection.Execute($"INSERT INTO main.{Quote(table.Name)} ({names}) SELECT {values} FROM source.{Quote(table.Name)} WHERE {Quote(table.OwnerColumn)} = @sourceOwner",
                    new { sourceOwner, target }, tx);
                continue;
            }
            var rows = _connection.Query<long>($"SELECT {Quote(idColumn)} FROM source.{Quote(table.Name)} WHERE {Quote(table.OwnerColumn)} = @sourceOwner",
                new { sourceOwner }, tx).ToList();
            foreach (var row in rows)
                ids[row] = _connection.ExecuteScalar<long>(
                    $"INSERT INTO main.{Quote(table.Name)} ({names}) SELECT {values} FROM source.{Quote(table.Name)} WHERE {Quote(idColumn)} = @row RETURNING {Quote(idColumn)}",
                    new { row, target }, tx);
        }
        return ids;
    }

    /// <summary>The table's columns in this store's schema (the source was migrated to it).</summary>
    private IEnumerable<string> ColumnNames(string table, SqliteTransaction tx) =>
        _connection.Query<string>("SELECT name FROM pragma_table_info(@table, 'main') ORDER BY cid", new { table }, tx);

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>Null when the two finished runs have the same test means and per-user values; else what differs.</summary>
    private string? DifferentResults(long ours, long theirs, SqliteTransaction tx)
    {
        Dictionary<string, double> Means(string schema, long id) => _connection
            .Query<(string Metric, double Value)>($"SELECT metric, value FROM {schema}.result_metrics WHERE run_id = @id", new { id }, tx)
            .ToDictionary(m => m.Metric, m => m.Value);
        var a = Means("main", ours);
        var b = Means("source", theirs);
        foreach (var metric in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var (x, y) = (a.GetValueOrDefault(metric, double.NaN), b.GetValueOrDefault(metric, double.NaN));
            if (!x.Equals(y))
                return string.Create(CultureInfo.InvariantCulture, $"{metric} {x:0.######} here, {y:0.######} there");
        }
        var blobs = _connection.QuerySingle<(byte[]? Ours, byte[]? Theirs)>(
            "SELECT (SELECT per_user FROM main.results WHERE run_id = @ours), (SELECT per_user FROM source.results WHERE run_id = @theirs)",
            new { ours, theirs }, tx);
        return (blobs.Ours ?? Array.Empty<byte>()).AsSpan().SequenceEqual(blobs.Theirs ?? Array.Empty<byte>())
            ? null
            : "same means, different per-user values";
    }

    /// <summary>What merging decides on: a run's identity, status and progress.</summary>
    private sealed class MergeRow
    {
        public const string Columns = "id AS Id, key AS Key, suite AS Suite, dataset AS Dataset, model AS Model, variant AS Variant, " +
                                      "seed AS Seed, status AS Status, epochs_run AS EpochsRun";
        public long Id { get; init; }
        public string Key { get; init; } = "";
        public string Suite { get; init; } = "";
        public string Dataset { get; init; } = "";
        public string Model { get; init; } = "";
        public string Variant { get; init; } = "";
        public long Seed { get; init; }
        public string Status { get; init; } = "";
        public long EpochsRun { get; init; }

        public bool Finished => Status == "finished";

        public string Describe() =>
            $"{Suite} · {Dataset} · {(Variant.Length == 0 ? Model : $"{Model}/{Variant}")} · seed {Seed}";
    }
}
