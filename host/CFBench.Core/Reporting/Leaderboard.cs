using CFBench.Core.Tracking;

namespace CFBench.Core.Reporting;

/// <summary>
/// Everything a report shows for one suite, computed once from the run store by <see cref="LeaderboardBuilder"/>.
/// Exporters (<see cref="ILeaderboardExporter"/>) only read and format it. All metrics are higher-is-better.
/// </summary>
public sealed record Leaderboard
{
    public required string Suite { get; init; }
    public required string Description { get; init; }
    /// <summary>Protocol name and the options that change its numbers, e.g. <c>full-ranking, k=20, ties=expected, selection=test</c>.</summary>
    public required IReadOnlyList<string> Protocols { get; init; }
    /// <summary>The suite's declared baseline label, if any.</summary>
    public string? Baseline { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary>Finished runs the tables are built from.</summary>
    public required int RunsUsed { get; init; }
    /// <summary>Runs of the suite left out because they are not finished, by status.</summary>
    public required IReadOnlyDictionary<RunStatus, int> RunsSkipped { get; init; }
    /// <summary>Finished runs replaced by a later finished run of the same dataset, variant and seed (e.g. after a parameter change).</summary>
    public required int RunsSuperseded { get; init; }
    /// <summary>Significance level the markers use (on Holm-adjusted p-values).</summary>
    public required double Alpha { get; init; }
    public required double ReferenceTolerance { get; init; }
    public required IReadOnlyList<DatasetBoard> Datasets { get; init; }
    public required ReportProvenance Provenance { get; init; }

    public int SkippedTotal => RunsSkipped.Values.Sum();
    /// <summary>True when some cell comes from runs that picked their best epoch on the test set.</summary>
    public bool AnyTestSelection => Datasets.Any(d => d.Rows.Any(r => r.SelectedOnTest));
}

/// <summary>One dataset's table, curves and costs.</summary>
public sealed record DatasetBoard
{
    public required string Dataset { get; init; }
    /// <summary>Metric columns, e.g. <c>recall@20</c>, in the protocol's order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
    public required IReadOnlyList<VariantRow> Rows { get; init; }
    /// <summary>Number of significance comparisons Holm's correction ran over (the whole table).</summary>
    public required int Comparisons { get; init; }
    /// <summary>Mean training loss per epoch, one curve per variant.</summary>
    public required IReadOnlyList<Curve> LossCurves { get; init; }
    /// <summary>The metric that picked the best epoch, e.g. <c>recall@20</c> (the first variant's schedule).</summary>
    public required string SelectionMetric { get; init; }
    /// <summary>Mean <see cref="SelectionMetric"/> per evaluation, one curve per variant.</summary>
    public required IReadOnlyList<Curve> SelectionCurves { get; init; }
    /// <summary>The suite's <c>curves</c>: each figure's mean per epoch, one curve per variant that reported it.</summary>
    public IReadOnlyList<FigureCurves> ExtraCurves { get; init; } = Array.Empty<FigureCurves>();
    public required IReadOnlyList<CostRow> Costs { get; init; }
}

/// <summary>A model variant (<c>RunSpec.Label</c>, with the parameters that tell its rows apart when it ran with several) on one dataset; <see cref="Cells"/> is aligned with the board's columns.</summary>
public sealed record VariantRow
{
    public required string Label { get; init; }
    public required bool IsBaseline { get; init; }
    /// <summary>Some of its runs picked the best epoch on the test set (optimistic; flagged).</summary>
    public required bool SelectedOnTest { get; init; }
    public required IReadOnlyList<long> Seeds { get; init; }
    /// <summary>Null where no run of the variant reported that column.</summary>
    public required IReadOnlyList<MetricCell?> Cells { get; init; }
}

public enum CellRank { None, Best, Second }

/// <summary>A metric over the variant's seeds: mean, sample standard deviation (n - 1; null for one seed), n.</summary>
public sealed record MetricCell
{
    public required string Column { get; init; }
    public required double Mean { get; init; }
    public double? Std { get; init; }
    public required int N { get; init; }
    public required CellRank Rank { get; init; }
    /// <summary>(mean - baseline mean) / baseline mean; null on the baseline row or without a baseline.</summary>
    public double? RelativeToBaseline { get; init; }
    /// <summary>Paired tests against the column's best variant; null on the best cell or without per-user vectors.</summary>
    public Significance? Significance { get; init; }
    public ReferenceComparison? Reference { get; init; }
    public required bool SelectedOnTest { get; init; }
    /// <summary>The runs (store ids) the cell averages, ordered by seed.</summary>
    public required IReadOnlyList<long> RunIds { get; init; }
}

/// <summary>Paired tests over users (per-user values averaged over seeds) of a variant against the column's best.</summary>
public sealed record Significance
{
    public required string Against { get; init; }
    public required int Users { get; init; }
    public required double TTestP { get; init; }
    public required double WilcoxonP { get; init; }
    /// <summary>Holm-adjusted across every comparison of the dataset's table.</summary>
    public required double TTestPHolm { get; init; }
    public required double WilcoxonPHolm { get; init; }
    /// <summary>Both adjusted p-values are below the report's alpha.</summary>
    public required bool Significant { get; init; }
}

/// <summary>The paper's published value for the cell and how far the measured mean is from it.</summary>
public sealed record ReferenceComparison(double Value, double Delta, bool OutsideTolerance);

public sealed record Curve(string Label, IReadOnlyList<CurvePoint> Points);

/// <summary>One model-reported figure (<see cref="EpochRecord.Extra"/>) over epochs, one curve per variant.</summary>
public sealed record FigureCurves(string Figure, IReadOnlyList<Curve> Curves);

public readonly record struct CurvePoint(int Epoch, double Value);

/// <summary>Cost of a variant on one dataset, averaged over its runs.</summary>
public sealed record CostRow
{
    public required string Label { get; init; }
    public required int Runs { get; init; }
    public required double EpochsRun { get; init; }
    public required double SecondsPerEpoch { get; init; }
    /// <summary>Training samples per second over all its epochs (total samples / total epoch seconds).</summary>
    public required double SamplesPerSecond { get; init; }
    /// <summary>Mean seconds of one selection evaluation (NaN when none was recorded).</summary>
    public required double EvaluationSeconds { get; init; }
    /// <summary>Mean training seconds of a whole run (epochs only).</summary>
    public required double TrainSeconds { get; init; }
    /// <summary>Largest peak memory any of its epochs reported.</summary>
    public required long PeakMemoryBytes { get; init; }
    public required IReadOnlyList<string> Devices { get; init; }
}

/// <summary>Where the suite's numbers came from.</summary>
public sealed record ReportProvenance
{
    /// <summary>Git commits the runs were built from; <c>+dirty</c> marks uncommitted changes.</summary>
    public required IReadOnlyList<string> GitCommits { get; init; }
    public DateTimeOffset? FirstStarted { get; init; }
    public DateTimeOffset? LastEnded { get; init; }
    public required IReadOnlyList<string> Devices { get; init; }
    /// <summary>TorchSharp, libtorch, contract and OS versions seen.</summary>
    public required IReadOnlyList<string> Libraries { get; init; }
    /// <summary>Plugin assembly, version and SHA-256 per model.</summary>
    public required IReadOnlyList<string> Plugins { get; init; }
    public required IReadOnlyList<string> Hosts { get; init; }
    /// <summary>Per dataset: its fingerprint and the files' checksums.</summary>
    public required IReadOnlyList<DatasetChecksum> DatasetChecksums { get; init; }
    /// <summary>For each cell, the runs behind it.</summary>
    public required IReadOnlyList<CellRuns> CellRuns { get; init; }
}

public sealed record DatasetChecksum(string Dataset, string Fingerprint, IReadOnlyList<string> Files);

/// <summary>The runs behind one dataset × variant row (every column of the row shares them).</summary>
public sealed record CellRuns(string Dataset, string Label, IReadOnlyList<RunRef> Runs);

public sealed record RunRef(long Id, long Seed, string Key);
