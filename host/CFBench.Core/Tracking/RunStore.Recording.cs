using System.Text.Json;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Training;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CFBench.Core.Tracking;

// The write side: what the trainer calls while a run goes. Each call is one transaction, durable when it returns.
public sealed partial class RunStore
{
    /// <summary>
    /// Registers the run as running under this process and returns its id. A run with the same key that is
    /// interrupted, failed, or running in a process that is gone is reused: it keeps its id, is marked running
    /// again, and keeps the epochs and evaluations up to its last checkpoint (all are dropped when it has none),
    /// so the trainer can resume from <see cref="RunRecord.LastCheckpointPath"/>. A finished run is refused, and a
    /// run whose process is still alive always is. <paramref name="fresh"/> (--rerun) deletes any earlier record of
    /// the key and starts a new one.
    /// </summary>
    public long Start(RunSpec spec, RunProvenance provenance, bool fresh = false)
    {
        var key = spec.Key;
        var (pid, processStarted) = ProcessLiveness.Current();
        var args = new DynamicParameters(SpecColumns(spec, provenance));
        args.Add("key", key);
        args.Add("process_host", ProcessLiveness.CurrentHost);
        args.Add("process_id", pid);
        args.Add("process_started", processStarted is { } s ? FormatTime(s) : null);
        args.Add("now", Now());

        long? replaced = null;
        var started = Guard(() =>
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var existing = _connection.QuerySingleOrDefault<LivenessRow>(
                "SELECT id AS Id, status AS Status, process_host AS ProcessHost, process_id AS ProcessId, process_started AS ProcessStarted, last_checkpoint_epoch AS LastCheckpointEpoch, plugin_sha256 AS PluginSha256 FROM runs WHERE key = @key",
                new { key }, tx);
            if (existing is { Status: "running" } && existing.IsAliveElsewhere(pid))
                throw new RunStoreException($"{FilePath}: run {existing.Id} ({key}) is already running (pid {existing.ProcessId} on {existing.ProcessHost})");
            if (existing is not null && fresh)
            {
                _connection.Execute("DELETE FROM runs WHERE id = @Id", new { existing.Id }, tx);
                replaced = existing.Id;
                existing = null;
            }
            long id;
            if (existing is null)
            {
                var names = SpecColumnNames.Concat(new[] { "key", "process_host", "process_id", "process_started" }).ToArray();
                id = _connection.ExecuteScalar<long>(
                    $"INSERT INTO runs (id, {string.Join(", ", names)}, status, started_at) " +
                    $"VALUES ((SELECT last + 1 FROM run_ids), {string.Join(", ", names.Select(n => "@" + n))}, 'running', @now) RETURNING id",
                    args, tx);
            }
            else
            {
                id = existing.Id;
                if (existing.Status == "finished")
                    throw new RunStoreException($"{FilePath}: run {id} ({key}) has already finished; delete it to run it again");
                // Checkpoints of another build of the plugin are not resumed from: its code (and checkpoint format) may differ.
                var keep = existing.PluginSha256 == provenance.PluginSha256 ? (int)(existing.LastCheckpointEpoch ?? 0) : 0;
                args.Add("id", id);
                args.Add("keep", keep);
                _connection.Execute(
                    $"""
                    UPDATE runs SET {string.Join(", ", SpecColumnNames.Append("process_host").Append("process_id").Append("process_started").Select(n => $"{n} = @{n}"))},
                        status = 'running', error = NULL, ended_at = NULL, attempts = attempts + 1,
                        epochs_run = min(epochs_run, @keep),
                        best_epoch = CASE WHEN best_epoch > @keep THEN NULL ELSE best_epoch END,
                        best_checkpoint = CASE WHEN best_epoch > @keep THEN NULL ELSE best_checkpoint END,
                        best_checkpoint_sha256 = CASE WHEN best_epoch > @keep THEN NULL ELSE best_checkpoint_sha256 END,
                        last_checkpoint = CASE WHEN @keep = 0 THEN NULL ELSE last_checkpoint END,
                        last_checkpoint_epoch = CASE WHEN @keep = 0 THEN NULL ELSE last_checkpoint_epoch END,
                        last_checkpoint_sha256 = CASE WHEN @keep = 0 THEN NULL ELSE last_checkpoint_sha256 END
                    WHERE id = @id
                    """, args, tx);
                DiscardAfter(id, keep, tx);
                _connection.Execute("DELETE FROM results WHERE run_id = @id", new { id }, tx);
                _connection.Execute("DELETE FROM run_parameters WHERE run_id = @id", new { id }, tx);
            }
            foreach (var (name, value) in spec.Parameters)
            {
                var (type, text) = ParameterValues.Encode(value);
                _connection.Execute("INSERT INTO run_parameters (run_id, name, type, value) VALUES (@id, @name, @type, @text)",
                    new { id, name, type, text }, tx);
            }
            tx.Commit();
            return id;
        });
        if (replaced is { } old) DeleteCheckpointDirectory(old);
        return started;
    }

    public void RecordEpoch(long runId, EpochRecord epoch) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        RequireRun(runId, tx, "UPDATE runs SET epochs_run = max(epochs_run, @epoch) WHERE id = @runId", new { runId, epoch = epoch.Epoch });
        _connection.Execute(
            """
            INSERT INTO epochs (run_id, epoch, loss, seconds, samples_per_second, peak_memory_bytes, recorded_at)
            VALUES (@runId, @Epoch, @Loss, @Seconds, @SamplesPerSecond, @PeakMemoryBytes, @now)
            ON CONFLICT (run_id, epoch) DO UPDATE SET loss = excluded.loss, seconds = excluded.seconds,
                samples_per_second = excluded.samples_per_second, peak_memory_bytes = excluded.peak_memory_bytes,
                recorded_at = excluded.recorded_at
            """,
            new { runId, epoch.Epoch, epoch.Loss, epoch.Seconds, epoch.SamplesPerSecond, epoch.PeakMemoryBytes, now = Now() }, tx);
        _connection.Execute("DELETE FROM epoch_extra WHERE run_id = @runId AND epoch = @Epoch", new { runId, epoch.Epoch }, tx);
        foreach (var (name, value) in epoch.Extra)
            _connection.Execute("INSERT INTO epoch_extra (run_id, epoch, name, value) VALUES (@runId, @epoch, @name, @value)",
                new { runId, epoch = epoch.Epoch, name, value }, tx);
        tx.Commit();
    });

    /// <summary>Records the means of one evaluation (per-user values are kept for the final test only).</summary>
    public void RecordEvaluation(long runId, int epoch, EvaluationResult result) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        RequireRun(runId, tx);
        UpsertEvaluation(runId, epoch, result, replace: true, tx);
        tx.Commit();
    });

    /// <summary>Stores the final test means and per-user vectors and marks the run finished, all in one transaction:
    /// a run is never finished without its results.</summary>
    public void Finish(long runId, RunOutcome outcome)
    {
        var blob = PerUserVectors.Encode(outcome.Test.Users, outcome.Test.PerUser);
        Guard(() =>
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var status = _connection.ExecuteScalar<string?>("SELECT status FROM runs WHERE id = @runId", new { runId }, tx)
                ?? throw NoRun(runId);
            if (status == "finished") throw new RunStoreException($"{FilePath}: run {runId} has already finished");
            var now = Now();
            _connection.Execute("DELETE FROM results WHERE run_id = @runId", new { runId }, tx);
            _connection.Execute(
                "INSERT INTO results (run_id, target, best_epoch, seconds, users, per_user, recorded_at) VALUES (@runId, @target, @best, @seconds, @users, @blob, @now)",
                new { runId, target = outcome.Test.Target, best = outcome.BestEpoch, seconds = outcome.Test.Seconds, users = outcome.Test.Users.Length, blob, now }, tx);
            foreach (var (metric, value) in outcome.Test.Means)
                _connection.Execute("INSERT INTO result_metrics (run_id, metric, value) VALUES (@runId, @metric, @value)",
                    new { runId, metric, value }, tx);
            if (outcome.Selection is { } selection)
                UpsertEvaluation(runId, outcome.BestEpoch, selection, replace: false, tx);
            _connection.Execute(
                """
                UPDATE runs SET status = 'finished', error = NULL, ended_at = @now, best_epoch = @best, epochs_run = @epochsRun,
                    best_checkpoint = coalesce(@checkpoint, best_checkpoint),
                    best_checkpoint_sha256 = CASE WHEN @checkpoint IS NULL OR @checkpoint = best_checkpoint THEN best_checkpoint_sha256
                        WHEN @checkpoint = last_checkpoint THEN last_checkpoint_sha256 ELSE NULL END,
                    weights_file = @weights
                WHERE id = @runId
                """,
                new { runId, now, best = outcome.BestEpoch, epochsRun = outcome.EpochsRun, checkpoint = outcome.CheckpointPath, weights = outcome.WeightsPath }, tx);
            tx.Commit();
        });
    }

    /// <summary>Marks the run failed (or interrupted, when cancelled) with its error. A finished run stays finished.</summary>
    public void Fail(long runId, string error, bool interrupted) => Guard(() =>
    {
        var changed = _connection.Execute(
            "UPDATE runs SET status = @status, error = @error, ended_at = @now WHERE id = @runId AND status <> 'finished'",
            new { runId, status = interrupted ? "interrupted" : "failed", error, now = Now() });
        if (changed == 0 && _connection.ExecuteScalar<long?>("SELECT id FROM runs WHERE id = @runId", new { runId }) is null)
            throw NoRun(runId);
    });

    /// <summary>Records a checkpoint (path, epoch, SHA-256): it becomes the run's resume point, and, when
    /// <paramref name="isBest"/>, also its best checkpoint (the model at the best epoch so far).</summary>
    public void RecordCheckpoint(long runId, Checkpoint checkpoint, bool isBest) => Guard(() =>
        RequireRun(runId, null,
            """
            UPDATE runs SET last_checkpoint = @Path, last_checkpoint_epoch = @Epoch, last_checkpoint_sha256 = @Sha256,
                best_checkpoint = CASE WHEN @isBest THEN @Path ELSE best_checkpoint END,
                best_checkpoint_sha256 = CASE WHEN @isBest THEN @Sha256 ELSE best_checkpoint_sha256 END,
                best_epoch = CASE WHEN @isBest THEN @Epoch ELSE best_epoch END
            WHERE id = @runId
            """, new { runId, checkpoint.Path, checkpoint.Epoch, checkpoint.Sha256, isBest }));

    /// <summary>Checkpoints live beside the store, in <c>FILE.checkpoints/RUN-ID/</c>: two stores never share a file,
    /// and run ids are never reused, so a new run never meets an old run's files.</summary>
    public string CheckpointDirectory(long runId) =>
        Path.Combine(FilePath + ".checkpoints", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Keeps only what a finished run needs: its best checkpoint and its exported weights; the store forgets
    /// the other checkpoints first, then their files go.</summary>
    public void PruneCheckpoints(long runId)
    {
        var keep = Guard(() =>
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var kept = _connection.QuerySingleOrDefault<(string? Best, string? Weights)>(
                "SELECT best_checkpoint, weights_file FROM runs WHERE id = @runId", new { runId }, tx);
            RequireRun(runId, tx,
                """
                UPDATE runs SET last_checkpoint = NULL, last_checkpoint_epoch = NULL, last_checkpoint_sha256 = NULL
                WHERE id = @runId AND last_checkpoint IS NOT best_checkpoint
                """, new { runId }, mayMatchNothing: true);
            tx.Commit();
            return new[] { kept.Best, kept.Weights }.OfType<string>().Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        });
        var directory = CheckpointDirectory(runId);
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (keep.Contains(Path.GetFullPath(file))) continue;
            TryDelete(() => File.Delete(file));
        }
    }

    private void DeleteCheckpointDirectory(long runId)
    {
        var directory = CheckpointDirectory(runId);
        if (Directory.Exists(directory)) TryDelete(() => Directory.Delete(directory, recursive: true));
    }

    /// <summary>A checkpoint file that cannot be deleted is left behind (the store no longer vouches for it) rather
    /// than failing a run that has finished or a deletion that has been recorded.</summary>
    private static void TryDelete(Action delete)
    {
        try { delete(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Drops the epochs and evaluations after <paramref name="epoch"/> (0: all), for a trainer that resumes
    /// from an earlier point than the last checkpoint (or from scratch, when that checkpoint is unusable).</summary>
    public void Rewind(long runId, int epoch) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        RequireRun(runId, tx,
            """
            UPDATE runs SET epochs_run = min(epochs_run, @epoch),
                last_checkpoint = CASE WHEN last_checkpoint_epoch > @epoch THEN NULL ELSE last_checkpoint END,
                last_checkpoint_sha256 = CASE WHEN last_checkpoint_epoch > @epoch THEN NULL ELSE last_checkpoint_sha256 END,
                last_checkpoint_epoch = CASE WHEN last_checkpoint_epoch > @epoch THEN NULL ELSE last_checkpoint_epoch END,
                best_checkpoint = CASE WHEN best_epoch > @epoch THEN NULL ELSE best_checkpoint END,
                best_checkpoint_sha256 = CASE WHEN best_epoch > @epoch THEN NULL ELSE best_checkpoint_sha256 END,
                best_epoch = CASE WHEN best_epoch > @epoch THEN NULL ELSE best_epoch END
            WHERE id = @runId
            """, new { runId, epoch });
        DiscardAfter(runId, epoch, tx);
        tx.Commit();
    });

    /// <summary>Deletes the run, everything recorded for it and its checkpoint files; false when there is no such run.
    /// A run that another live process is still running is refused (deleting it would pull the store from under it).</summary>
    public bool Delete(long runId)
    {
        var deleted = Guard(() =>
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var run = _connection.QuerySingleOrDefault<LivenessRow>(
                "SELECT id AS Id, status AS Status, process_host AS ProcessHost, process_id AS ProcessId, process_started AS ProcessStarted, last_checkpoint_epoch AS LastCheckpointEpoch FROM runs WHERE id = @runId",
                new { runId }, tx);
            if (run is null) return false;
            if (run.Status == "running" && run.IsAliveElsewhere(Environment.ProcessId))
                throw new RunStoreException($"{FilePath}: run {runId} is running (pid {run.ProcessId} on {run.ProcessHost}); stop it before deleting it");
            _connection.Execute("DELETE FROM runs WHERE id = @runId", new { runId }, tx);
            tx.Commit();
            return true;
        });
        if (deleted) DeleteCheckpointDirectory(runId);
        return deleted;
    }

    private void DiscardAfter(long runId, int epoch, SqliteTransaction tx)
    {
        _connection.Execute("DELETE FROM epochs WHERE run_id = @runId AND epoch > @epoch", new { runId, epoch }, tx);
        _connection.Execute("DELETE FROM evaluations WHERE run_id = @runId AND epoch > @epoch", new { runId, epoch }, tx);
    }

    private void UpsertEvaluation(long runId, int epoch, EvaluationResult result, bool replace, SqliteTransaction tx)
    {
        var conflict = replace ? "DO UPDATE SET seconds = excluded.seconds, recorded_at = excluded.recorded_at" : "DO NOTHING";
        var evaluationId = _connection.ExecuteScalar<long?>(
            $"INSERT INTO evaluations (run_id, epoch, target, seconds, recorded_at) VALUES (@runId, @epoch, @target, @seconds, @now) ON CONFLICT (run_id, epoch, target) {conflict} RETURNING id",
            new { runId, epoch, target = result.Target, seconds = result.Seconds, now = Now() }, tx);
        if (evaluationId is not { } id) return; // kept the existing one
        _connection.Execute("DELETE FROM evaluation_metrics WHERE evaluation_id = @id", new { id }, tx);
        foreach (var (metric, value) in result.Means)
            _connection.Execute("INSERT INTO evaluation_metrics (evaluation_id, metric, value) VALUES (@id, @metric, @value)",
                new { id, metric, value }, tx);
    }

    private void RequireRun(long runId, SqliteTransaction? tx, string? update = null, object? args = null, bool mayMatchNothing = false)
    {
        var found = update is null
            ? _connection.ExecuteScalar<long?>("SELECT id FROM runs WHERE id = @runId", new { runId }, tx) is not null
            : _connection.Execute(update, args, tx) > 0
              || (mayMatchNothing && _connection.ExecuteScalar<long?>("SELECT id FROM runs WHERE id = @runId", new { runId }, tx) is not null);
        if (!found) throw NoRun(runId);
    }

    private RunStoreException NoRun(long runId) => new($"{FilePath}: no run {runId}");

    private static readonly string[] SpecColumnNames =
    {
        "suite", "dataset", "dataset_fingerprint", "model", "variant", "seed", "protocol", "ties", "selection", "k",
        "protocol_options", "max_epochs", "evaluate_every", "patience", "selection_metric",
        "plugin_path", "plugin_version", "plugin_sha256", "contract_version", "dataset_checksums", "device", "device_name",
        "device_memory_bytes", "torchsharp_version", "libtorch_version", "os", "git_commit", "git_dirty", "host", "upstream", "parameters_outside_key",
    };

    private static Dictionary<string, object?> SpecColumns(RunSpec spec, RunProvenance p) => new()
    {
        ["suite"] = spec.Suite,
        ["dataset"] = spec.Dataset,
        ["dataset_fingerprint"] = spec.DatasetFingerprint,
        ["model"] = spec.Model,
        ["variant"] = spec.Variant,
        ["seed"] = spec.Seed,
        ["protocol"] = spec.Protocol.Name,
        ["ties"] = JsonNamingPolicy.CamelCase.ConvertName(spec.Protocol.Ties.ToString()),
        ["selection"] = JsonNamingPolicy.CamelCase.ConvertName(spec.Protocol.Selection.ToString()),
        ["k"] = string.Join(",", spec.Protocol.K),
        ["protocol_options"] = JsonSerializer.Serialize(spec.Protocol, TrackingJson.Options),
        ["max_epochs"] = spec.Schedule.Epochs,
        ["evaluate_every"] = spec.Schedule.EvaluateEvery,
        ["patience"] = spec.Schedule.Patience,
        ["selection_metric"] = spec.Schedule.SelectionMetric,
        ["plugin_path"] = p.PluginAssemblyPath,
        ["plugin_version"] = p.PluginVersion,
        ["plugin_sha256"] = p.PluginSha256,
        ["contract_version"] = p.ContractVersion,
        ["dataset_checksums"] = JsonSerializer.Serialize(p.DatasetChecksums, TrackingJson.Options),
        ["device"] = p.Device,
        ["device_name"] = p.DeviceName,
        ["device_memory_bytes"] = p.DeviceMemoryBytes,
        ["torchsharp_version"] = p.TorchSharpVersion,
        ["libtorch_version"] = p.LibTorchVersion,
        ["os"] = p.OperatingSystem,
        ["git_commit"] = p.GitCommit,
        ["git_dirty"] = p.GitDirty,
        ["host"] = p.Host,
        ["upstream"] = spec.Upstream.Count == 0 ? null : JsonSerializer.Serialize(spec.Upstream, TrackingJson.Options),
        ["parameters_outside_key"] = spec.ParametersOutsideKey.Count == 0 ? null
            : JsonSerializer.Serialize(spec.ParametersOutsideKey.Order(StringComparer.Ordinal), TrackingJson.Options),
    };

    private sealed class LivenessRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public string ProcessHost { get; init; } = "";
        public long ProcessId { get; init; }
        public string? ProcessStarted { get; init; }
        public long? LastCheckpointEpoch { get; init; }
        public string? PluginSha256 { get; init; }

        /// <summary>Alive and not this very process (a process may restart its own run).</summary>
        public bool IsAliveElsewhere(int currentPid) =>
            !(ProcessId == currentPid && ProcessHost == ProcessLiveness.CurrentHost) && IsAlive();

        public bool IsAlive() => ProcessLiveness.IsAlive(ProcessHost, ProcessId, ProcessStarted is { } s ? ParseTime(s) : null);
    }
}
