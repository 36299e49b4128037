using System.Text.Json;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using Dapper;

namespace CFBench.Core.Tracking;

// The read side: every query returns RunRecords; a run left 'running' by a process that is gone reads as interrupted.
public sealed partial class RunStore
{
    /// <summary>Runs matching <paramref name="filter"/>, oldest first.</summary>
    public IReadOnlyList<RunRecord> List(RunFilter? filter = null, RunDetail detail = RunDetail.Summary)
    {
        filter ??= RunFilter.All;
        var where = new List<string>();
        if (filter.Suite is not null) where.Add("suite = @Suite");
        if (filter.Model is not null) where.Add("model = @Model");
        if (filter.Dataset is not null) where.Add("dataset = @Dataset");
        var runs = Load(where.Count == 0 ? "1" : string.Join(" AND ", where), filter, detail);
        return filter.Statuses is { Count: > 0 } statuses ? runs.Where(r => statuses.Contains(r.Status)).ToList() : runs;
    }

    /// <summary>One run with its epochs and evaluations (and per-user vectors when asked), or null.</summary>
    public RunRecord? Get(long id, RunDetail detail = RunDetail.History) =>
        Load("id = @id", new { id }, detail).SingleOrDefault();

    /// <summary>One run, or a one-line error naming the store when there is none.</summary>
    public RunRecord Require(long id, RunDetail detail = RunDetail.History) => Get(id, detail) ?? throw NoRun(id);

    public RunRecord? FindByKey(string key) => Load("key = @key", new { key }, RunDetail.History).SingleOrDefault();

    private IReadOnlyList<RunRecord> Load(string where, object args, RunDetail detail) => Guard<IReadOnlyList<RunRecord>>(() =>
    {
        var subset = $"SELECT id FROM runs WHERE {where}";
        var rows = _connection.Query<RunRow>($"SELECT {RunRowColumns} FROM runs WHERE {where} ORDER BY id", args).ToList();
        if (rows.Count == 0) return Array.Empty<RunRecord>();

        var parameters = _connection.Query<(long RunId, string Name, string Type, string Value)>(
                $"SELECT run_id, name, type, value FROM run_parameters WHERE run_id IN ({subset}) ORDER BY run_id, name", args)
            .ToLookup(p => p.RunId);
        var testMetrics = _connection.Query<(long RunId, string Metric, double Value)>(
                $"SELECT run_id, metric, value FROM result_metrics WHERE run_id IN ({subset})", args)
            .ToLookup(m => m.RunId);
        ILookup<long, EpochRecord>? epochs = null;
        ILookup<long, EvaluationRecord>? evaluations = null;
        if (detail.HasFlag(RunDetail.History))
        {
            var extra = _connection.Query<(long RunId, long Epoch, string Name, double Value)>(
                    $"SELECT run_id, epoch, name, value FROM epoch_extra WHERE run_id IN ({subset})", args)
                .GroupBy(x => (x.RunId, x.Epoch))
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal));
            epochs = _connection.Query<(long RunId, long Epoch, double Loss, double Seconds, double SamplesPerSecond, long PeakMemoryBytes, string RecordedAt)>(
                    $"SELECT run_id, epoch, loss, seconds, samples_per_second, peak_memory_bytes, recorded_at FROM epochs WHERE run_id IN ({subset}) ORDER BY run_id, epoch", args)
                .ToLookup(e => e.RunId, e => new EpochRecord((int)e.Epoch, e.Loss, e.Seconds, e.SamplesPerSecond, e.PeakMemoryBytes)
                {
                    RecordedAt = ParseTime(e.RecordedAt),
                    Extra = extra.TryGetValue((e.RunId, e.Epoch), out var figures) ? figures : new Dictionary<string, double>(),
                });
            evaluations = _connection.Query<(long RunId, long Id, long Epoch, string Target, double Seconds, string RecordedAt, string? Metric, double? Value)>(
                    $"""
                    SELECT e.run_id, e.id, e.epoch, e.target, e.seconds, e.recorded_at, m.metric, m.value
                    FROM evaluations e LEFT JOIN evaluation_metrics m ON m.evaluation_id = e.id
                    WHERE e.run_id IN ({subset}) ORDER BY e.run_id, e.epoch, e.target, m.metric
                    """, args)
                .GroupBy(e => (e.RunId, e.Id))
                .Select(g => (g.Key.RunId, Record: new EvaluationRecord((int)g.First().Epoch, g.First().Target,
                    g.Where(m => m.Metric is not null).ToDictionary(m => m.Metric!, m => m.Value!.Value), g.First().Seconds)
                    { RecordedAt = ParseTime(g.First().RecordedAt) }))
                .ToLookup(e => e.RunId, e => e.Record);
        }
        Dictionary<long, byte[]>? perUser = null;
        if (detail.HasFlag(RunDetail.PerUser))
            perUser = _connection.Query<(long RunId, byte[] Blob)>(
                    $"SELECT run_id, per_user FROM results WHERE run_id IN ({subset})", args)
                .ToDictionary(r => r.RunId, r => r.Blob);

        return rows.Select(row =>
        {
            var record = ToRecord(row, parameters[row.Id]) with
            {
                TestMetrics = testMetrics[row.Id].ToDictionary(m => m.Metric, m => m.Value),
            };
            if (epochs is not null) record = record with { Epochs = epochs[row.Id].ToList(), Evaluations = evaluations![row.Id].ToList() };
            if (perUser is not null && perUser.TryGetValue(row.Id, out var blob))
            {
                var (users, columns) = DecodePerUser(row.Id, blob);
                record = record with { TestUsers = users, TestPerUser = columns };
            }
            return record;
        }).ToList();
    });

    private (int[] Users, Dictionary<string, float[]> Columns) DecodePerUser(long runId, byte[] blob)
    {
        try
        {
            return PerUserVectors.Decode(blob);
        }
        catch (InvalidDataException e)
        {
            throw new RunStoreException($"{FilePath}: run {runId}: {e.Message}", e);
        }
    }

    private RunRecord ToRecord(RunRow row, IEnumerable<(long RunId, string Name, string Type, string Value)> parameters)
    {
        ProtocolOptions protocol;
        IReadOnlyDictionary<string, string> checksums, upstream;
        IReadOnlySet<string> outsideKey;
        try
        {
            protocol = JsonSerializer.Deserialize<ProtocolOptions>(row.ProtocolOptions, TrackingJson.Options)!;
            checksums = row.DatasetChecksums is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(row.DatasetChecksums, TrackingJson.Options)!;
            outsideKey = row.ParametersOutsideKey is null
                ? new HashSet<string>()
                : JsonSerializer.Deserialize<HashSet<string>>(row.ParametersOutsideKey, TrackingJson.Options)!;
            upstream = row.Upstream is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(row.Upstream, TrackingJson.Options)!;
        }
        catch (JsonException e)
        {
            throw new RunStoreException($"{FilePath}: run {row.Id}: unreadable protocol options or checksums ({e.Message.Split('\n')[0]})", e);
        }
        var spec = new RunSpec
        {
            Suite = row.Suite,
            Dataset = row.Dataset,
            DatasetFingerprint = row.DatasetFingerprint,
            Protocol = protocol,
            Model = row.Model,
            Variant = row.Variant,
            Parameters = parameters.ToDictionary(p => p.Name, p => ParameterValues.Decode(p.Type, p.Value)),
            Seed = row.Seed,
            Schedule = new TrainingSchedule((int)row.MaxEpochs, (int)row.EvaluateEvery, (int)row.Patience, row.SelectionMetric),
            Upstream = upstream,
            ParametersOutsideKey = outsideKey,
        };
        var provenance = row.PluginPath is null ? null : new RunProvenance(
            row.PluginPath, row.PluginVersion ?? "", row.PluginSha256 ?? "", row.ContractVersion ?? "", checksums,
            row.Device ?? "", row.DeviceName ?? "", row.DeviceMemoryBytes ?? 0, row.TorchsharpVersion ?? "", row.LibtorchVersion ?? "",
            row.Os ?? "", row.GitCommit ?? "", row.GitDirty == 1, row.Host ?? "");

        var status = ParseStatus(row.Status);
        var error = row.Error;
        if (status == RunStatus.Running
            && !ProcessLiveness.IsAlive(row.ProcessHost, row.ProcessId, row.ProcessStarted is { } s ? ParseTime(s) : null))
        {
            status = RunStatus.Interrupted;
            error ??= $"process {row.ProcessId} on {row.ProcessHost} ended without finishing the run";
        }
        return new RunRecord
        {
            Id = row.Id,
            Key = row.Key,
            Spec = spec,
            Provenance = provenance,
            Status = status,
            Error = error,
            StartedAt = ParseTime(row.StartedAt),
            EndedAt = row.EndedAt is { } end ? ParseTime(end) : null,
            BestEpoch = (int?)row.BestEpoch,
            EpochsRun = (int)row.EpochsRun,
            CheckpointPath = row.BestCheckpoint,
            CheckpointSha256 = row.BestCheckpointSha256,
            LastCheckpointPath = row.LastCheckpoint,
            LastCheckpointEpoch = (int?)row.LastCheckpointEpoch,
            WeightsPath = row.WeightsFile,
            LastCheckpointSha256 = row.LastCheckpointSha256,
            Attempts = (int)row.Attempts,
            ProcessHost = row.ProcessHost,
            ProcessId = row.ProcessId,
        };
    }

    private static RunStatus ParseStatus(string status) => status switch
    {
        "running" => RunStatus.Running,
        "finished" => RunStatus.Finished,
        "failed" => RunStatus.Failed,
        "interrupted" => RunStatus.Interrupted,
        _ => throw new InvalidDataException($"unknown run status '{status}'"),
    };

    private static readonly string RunRowColumns = string.Join(", ", typeof(RunRow).GetProperties().Select(p => $"{SnakeCase(p.Name)} AS {p.Name}"));

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>A row of <c>runs</c>; property names are the columns in PascalCase.</summary>
    private sealed class RunRow
    {
        public long Id { get; init; }
        public string Key { get; init; } = "";
        public string Suite { get; init; } = "";
        public string Dataset { get; init; } = "";
        public string DatasetFingerprint { get; init; } = "";
        public string Model { get; init; } = "";
        public string Variant { get; init; } = "";
        public long Seed { get; init; }
        public string ProtocolOptions { get; init; } = "";
        public long MaxEpochs { get; init; }
        public long EvaluateEvery { get; init; }
        public long Patience { get; init; }
        public string SelectionMetric { get; init; } = "";
        public string? PluginPath { get; init; }
        public string? PluginVersion { get; init; }
        public string? PluginSha256 { get; init; }
        public string? ContractVersion { get; init; }
        public string? DatasetChecksums { get; init; }
        public string? Device { get; init; }
        public string? DeviceName { get; init; }
        public long? DeviceMemoryBytes { get; init; }
        public string? TorchsharpVersion { get; init; }
        public string? LibtorchVersion { get; init; }
        public string? Os { get; init; }
        public string? GitCommit { get; init; }
        public long? GitDirty { get; init; }
        public string? Host { get; init; }
        public string ProcessHost { get; init; } = "";
        public long ProcessId { get; init; }
        public string? ProcessStarted { get; init; }
        public string Status { get; init; } = "";
        public string? Error { get; init; }
        public long Attempts { get; init; }
        public string StartedAt { get; init; } = "";
        public string? EndedAt { get; init; }
        public long? BestEpoch { get; init; }
        public long EpochsRun { get; init; }
        public string? BestCheckpoint { get; init; }
        public string? LastCheckpoint { get; init; }
        public long? LastCheckpointEpoch { get; init; }
        public string? Upstream { get; init; }
        public string? ParametersOutsideKey { get; init; }
        public string? WeightsFile { get; init; }
        public string? BestCheckpointSha256 { get; init; }
        public string? LastCheckpointSha256 { get; init; }
    }
}
