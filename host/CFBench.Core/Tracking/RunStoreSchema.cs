namespace CFBench.Core.Tracking;

/// <summary>
/// The store's schema as ordered migrations. A database records the last one applied in <c>PRAGMA user_version</c>
/// and is marked as a CFBench store by <c>PRAGMA application_id</c>. Append new migrations; never edit applied ones.
/// </summary>
internal static class RunStoreSchema
{
    /// <summary>'CFBR' (CFBench runs) in the SQLite header, so other SQLite files are told apart.</summary>
    public const int ApplicationId = 0x43464252;

    public static int LatestVersion => Migrations.Count;

    /// <summary>Migration i (0-based) brings the schema from version i to i + 1.</summary>
    public static readonly IReadOnlyList<string> Migrations = new[]
    {
        // 1: runs with spec, provenance and liveness; epochs; evaluations; final results with per-user vectors.
        """
        CREATE TABLE runs (
            id                    INTEGER PRIMARY KEY,
            key                   TEXT NOT NULL UNIQUE,
            suite                 TEXT NOT NULL,
            dataset               TEXT NOT NULL,
            dataset_fingerprint   TEXT NOT NULL,
            model                 TEXT NOT NULL,
            variant               TEXT NOT NULL,
            seed                  INTEGER NOT NULL,
            protocol              TEXT NOT NULL,
            ties                  TEXT NOT NULL,
            selection             TEXT NOT NULL,
            k                     TEXT NOT NULL,
            protocol_options      TEXT NOT NULL,
            max_epochs            INTEGER NOT NULL,
            evaluate_every        INTEGER NOT NULL,
            patience              INTEGER NOT NULL,
            selection_metric      TEXT NOT NULL,
            plugin_path           TEXT,
            plugin_version        TEXT,
            plugin_sha256         TEXT,
            contract_version      TEXT,
            dataset_checksums     TEXT,
            device                TEXT,
            device_name           TEXT,
            device_memory_bytes   INTEGER,
            torchsharp_version    TEXT,
            libtorch_version      TEXT,
            os                    TEXT,
            git_commit            TEXT,
            git_dirty             INTEGER,
            host                  TEXT,
            process_host          TEXT NOT NULL,
            process_id            INTEGER NOT NULL,
            process_started       TEXT,
            status                TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
            error                 TEXT,
            attempts              INTEGER NOT NULL DEFAULT 1,
            started_at            TEXT NOT NULL,
            ended_at              TEXT,
            best_epoch            INTEGER,
            epochs_run            INTEGER NOT NULL DEFAULT 0,
            best_checkpoint       TEXT,
            last_checkpoint       TEXT,
            last_checkpoint_epoch INTEGER
        );
        CREATE INDEX runs_by_suite ON runs (suite, dataset, model);
        CREATE TABLE run_parameters (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name   TEXT NOT NULL,
            type   TEXT NOT NULL CHECK (type IN ('int', 'real', 'bool', 'text')),
            value  TEXT NOT NULL,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE epochs (
            run_id             INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            epoch              INTEGER NOT NULL,
            loss               REAL NOT NULL,
            seconds            REAL NOT NULL,
            samples_per_second REAL NOT NULL,
            peak_memory_bytes  INTEGER NOT NULL,
            recorded_at        TEXT NOT NULL,
            PRIMARY KEY (run_id, epoch)
        ) WITHOUT ROWID;
        CREATE TABLE evaluations (
            id          INTEGER PRIMARY KEY,
            run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            epoch       INTEGER NOT NULL,
            target      TEXT NOT NULL,
            seconds     REAL NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (run_id, epoch, target)
        );
        CREATE TABLE evaluation_metrics (
            evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
            metric        TEXT NOT NULL,
            value         REAL NOT NULL,
            PRIMARY KEY (evaluation_id, metric)
        ) WITHOUT ROWID;
        CREATE TABLE results (
            run_id      INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            target      TEXT NOT NULL,
            best_epoch  INTEGER NOT NULL,
            seconds     REAL NOT NULL,
            users       INTEGER NOT NULL,
            per_user    BLOB NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE result_metrics (
            run_id INTEGER NOT NULL REFERENCES results (run_id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            value  REAL NOT NULL,
            PRIMARY KEY (run_id, metric)
        ) WITHOUT ROWID;
        """,
        // 2: run ids are never reused. INTEGER PRIMARY KEY hands out max(id) + 1, so deleting the newest run freed its
        // id for the next one, and an exported or reported "run 12" could later name another run. New runs take
        // run_ids.last + 1 (see RunStore.Start); the trigger keeps the high-water mark, whoever inserts.
        """
        CREATE TABLE run_ids (last INTEGER NOT NULL);
        INSERT INTO run_ids (last) SELECT coalesce(max(id), 0) FROM runs;
        CREATE TRIGGER runs_raise_last_id AFTER INSERT ON runs
        BEGIN
            UPDATE run_ids SET last = max(last, NEW.id);
        END;
        """,
        // 3: contract 2.0. Runs that start from other runs (pretraining) record them (upstream: role → key, JSON), the
        // parameters left out of the key (JSON list), and the weights the run exported when it finished. A plugin's own
        // figures per epoch (EpochReport.Extra: Mult-VAE's KL weight, BPR's negative collisions) go with their epoch:
        // deleting or rewinding an epoch deletes its figures. Checkpoints belong to the store: their SHA-256 is recorded
        // with their path, and only a file that still hashes to it is restored; runs recorded before (no checksum)
        // restart instead of trusting a shared file.
        """
        ALTER TABLE runs ADD COLUMN upstream TEXT;
        ALTER TABLE runs ADD COLUMN parameters_outside_key TEXT;
        ALTER TABLE runs ADD COLUMN weights_file TEXT;
        CREATE TABLE epoch_extra (
            run_id INTEGER NOT NULL,
            epoch  INTEGER NOT NULL,
            name   TEXT NOT NULL,
            value  REAL NOT NULL,
            PRIMARY KEY (run_id, epoch, name),
            FOREIGN KEY (run_id, epoch) REFERENCES epochs (run_id, epoch) ON DELETE CASCADE
        ) WITHOUT ROWID;
        ALTER TABLE runs ADD COLUMN best_checkpoint_sha256 TEXT;
        ALTER TABLE runs ADD COLUMN last_checkpoint_sha256 TEXT;
        """,
    };
}
