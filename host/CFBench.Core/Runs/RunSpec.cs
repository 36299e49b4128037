using CFBench.Core.Protocols;

namespace CFBench.Core.Runs;

/// <summary>
/// Everything that decides a run's numbers: suite, dataset (and its fingerprint), protocol options, model,
/// variant, resolved hyper-parameters, seed, training schedule and the runs it starts from. <see cref="Key"/> hashes
/// exactly these, by name (see <see cref="RunKey"/>), so a suite re-run skips what is already done.
/// </summary>
public sealed record RunSpec
{
    public required string Suite { get; init; }
    public required string Dataset { get; init; }
    public required string DatasetFingerprint { get; init; }
    public required ProtocolOptions Protocol { get; init; }
    public required string Model { get; init; }
    public required string Variant { get; init; }
    public required IReadOnlyDictionary<string, object> Parameters { get; init; }
    public required long Seed { get; init; }
    public required TrainingSchedule Schedule { get; init; }
    /// <summary>Parameters recorded with the run but left out of its key: speed-only options, and parameters added
    /// to a model later that are at their default (see <see cref="Contracts.HyperParameter"/>).</summary>
    public IReadOnlySet<string> ParametersOutsideKey { get; init; } = new HashSet<string>();
    /// <summary>The runs this one starts from (pretraining), by role: role → the upstream run's key.</summary>
    public IReadOnlyDictionary<string, string> Upstream { get; init; } = new Dictionary<string, string>();

    /// <summary>Display name of the model variant, e.g. <c>LightGCN/K3</c>.</summary>
    public string Label => Variant.Length == 0 ? Model : $"{Model}/{Variant}";

    public string Key => RunKey.Of(this);

    /// <summary>The key contract 1 gave this spec (a hash of the serialized records). Stores written then hold it;
    /// <see cref="Tracking.RunStore.AdoptLegacyKeys"/> re-keys their runs on first sight.</summary>
    public string LegacyKey => RunKey.Legacy(this);
}

/// <summary>The epoch loop's settings.</summary>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="EvaluateEvery">Evaluate the selection target every this many epochs (and after the last).</param>
/// <param name="Patience">Stop after this many evaluations without improvement (0: never stop early).</param>
/// <param name="SelectionMetric">Metric column that picks the best epoch, e.g. <c>recall@20</c>.</param>
public sealed record TrainingSchedule(int Epochs, int EvaluateEvery, int Patience, string SelectionMetric);

/// <summary>Where and with what a run executed (recorded, not part of the key).</summary>
public sealed record RunProvenance(
    string PluginAssemblyPath,
    string PluginVersion,
    string PluginSha256,
    string ContractVersion,
    IReadOnlyDictionary<string, string> DatasetChecksums,
    string Device,
    string DeviceName,
    long DeviceMemoryBytes,
    string TorchSharpVersion,
    string LibTorchVersion,
    string OperatingSystem,
    string GitCommit,
    bool GitDirty,
    string Host);

/// <summary>A finished run's result: the final test evaluation and the epoch it came from.</summary>
/// <param name="WeightsPath">The exported weights file, for models that export them (<see cref="Contracts.IExportsWeights"/>).</param>
public sealed record RunOutcome(int BestEpoch, EvaluationResult? Selection, EvaluationResult Test, int EpochsRun, string? CheckpointPath,
    string? WeightsPath = null);
