using CFBench.Core.Config;
using CFBench.Core.Protocols;
using CFBench.Core.Reporting.Statistics;
using CFBench.Core.Tracking;

namespace CFBench.Core.Reporting;

/// <summary>
/// Builds a suite's <see cref="Leaderboard"/> from its runs: keeps the finished ones (the latest per dataset,
/// variant, hyper-parameters and seed; a variant run with several parameter sets gets one row per set, named by the
/// parameters that differ), aggregates each metric over seeds, ranks columns, compares every variant with the column's
/// best by paired tests over users (Holm-corrected across the table), and sets the paper references beside.
/// </summary>
public sealed class LeaderboardBuilder
{
    /// <summary>Significance level for the markers, applied to Holm-adjusted p-values.</summary>
    public double Alpha { get; init; } = 0.05;

    public Leaderboard Build(string suiteName, SuiteConfig suite, IReadOnlyList<RunRecord> runs, DateTimeOffset generatedAt)
    {
        var ofSuite = runs.Where(r => r.Spec.Suite == suiteName).ToList();
        var skipped = ofSuite.Where(r => r.Status != RunStatus.Finished)
            .GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        var finished = ofSuite.Where(r => r.Status == RunStatus.Finished).ToList();
        var rowLabels = RowLabels(finished);
        string Row(RunRecord r) => rowLabels[r.Id];
        var latest = finished
            .GroupBy(r => (r.Spec.Dataset, Row(r), r.Spec.Seed))
            .Select(g => g.OrderByDescending(r => r.EndedAt ?? r.StartedAt).ThenByDescending(r => r.Id).First())
            .ToList();

        var datasetOrder = suite.Datasets.Concat(latest.Select(r => r.Spec.Dataset).Distinct().Order(StringComparer.Ordinal)).Distinct().ToList();
        var boards = datasetOrder
            .Select(d => (Dataset: d, Runs: latest.Where(r => r.Spec.Dataset == d).ToList()))
            .Where(x => x.Runs.Count > 0)
            .Select(x => BuildDataset(x.Dataset, x.Runs, suite, Row))
            .ToList();

        return new Leaderboard
        {
            Suite = suiteName,
            Description = suite.Description,
            Protocols = latest.Select(r => DescribeProtocol(r.Spec.Protocol)).Distinct().ToList(),
            Baseline = suite.Baseline,
            GeneratedAt = generatedAt,
            RunsUsed = latest.Count,
            RunsSkipped = skipped,
            RunsSuperseded = finished.Count - latest.Count,
            Alpha = Alpha,
            ReferenceTolerance = suite.ReferenceTolerance,
            Datasets = boards,
            Provenance = BuildProvenance(latest, boards),
        };
    }

    public static string DescribeProtocol(ProtocolOptions p)
    {
        var parts = new List<string> { p.Name, $"k={string.Join('/', p.K)}", $"ties={p.Ties.ToString().ToLowerInvariant()}", $"selection={p.Selection.ToString().ToLowerInvariant()}" };
        if (p.Selection == ModelSelection.Validation && p.Name == "full-ranking") parts.Add($"validation fraction={p.ValidationFraction}");
        if (p.Name == "sampled") parts.Add(p.SampledNegatives > 0 ? $"{p.SampledNegatives} sampled negatives" : "negatives from the dataset's file");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// The row each run goes to: its variant's label, and when the suite's finished runs of that variant have several
    /// hyper-parameter sets, the parameters that differ among them, e.g. <c>LightGCN/K3 (lr=0.001)</c>.
    /// </summary>
    private static Dictionary<long, string> RowLabels(IReadOnlyList<RunRecord> runs)
    {
        var rows = new Dictionary<long, string>();
        foreach (var variant in runs.GroupBy(r => r.Spec.Label))
        {
            static string Value(RunRecord r, string name) => r.Spec.Parameters.TryGetValue(name, out var v) ? ParameterValues.Format(v) : "-";
            var names = variant.SelectMany(r => r.Spec.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var differing = names.Where(n => variant.Select(r => Value(r, n)).Distinct().Count() > 1).ToList();
            foreach (var run in variant)
                rows[run.Id] = differing.Count == 0
                    ? variant.Key
                    : $"{variant.Key} ({string.Join(", ", differing.Select(n => $"{n}={Value(run, n)}"))})";
        }
        return rows;
    }

    private DatasetBoard BuildDataset(string dataset, List<RunRecord> runs, SuiteConfig suite, Func<RunRecord, string> row)
    {
        var columns = runs.SelectMany(r => r.Spec.Protocol.MetricColumns.Concat(r.TestMetrics.Keys)).Distinct().ToList();
        var labels = OrderLabels(suite, runs, row);
        var byLabel = labels.ToDictionary(l => l, l => runs.Where(r => row(r) == l).OrderBy(r => r.Spec.Seed).ToList());

        // Aggregate every cell, then rank each column.
        var stats = new Dictionary<(string Label, string Column), (double Mean, double? Std, int N, List<long> Ids)>();
        foreach (var label in labels)
            foreach (var column in columns)
            {
                var with = byLabel[label].Where(r => r.TestMetrics.ContainsKey(column)).ToList();
                if (with.Count == 0) continue;
                var values = with.Select(r => r.TestMetrics[column]).ToArray();
                stats[(label, column)] = (values.Average(), SampleStd(values), values.Length, with.Select(r => r.Id).ToList());
            }

        var best = new Dictionary<string, string>();
        var ranks = new Dictionary<(string, string), CellRank>();
        foreach (var column in columns)
        {
            var distinct = labels.Where(l => stats.ContainsKey((l, column))).Select(l => stats[(l, column)].Mean)
                .Distinct().OrderDescending().ToList();
            if (distinct.Count == 0) continue;
            best[column] = labels.First(l => stats.TryGetValue((l, column), out var s) && s.Mean == distinct[0]);
            foreach (var label in labels)
                if (stats.TryGetValue((label, column), out var s))
                    ranks[(label, column)] = s.Mean == distinct[0] ? CellRank.Best
                        : distinct.Count > 1 && s.Mean == distinct[1] ? CellRank.Second : CellRank.None;
        }

        // Paired tests of each non-best cell against its column's best, then Holm over the whole table.
        var perUser = new Dictionary<(string, string), Dictionary<int, double>?>();
        Dictionary<int, double>? UserMeans(string label, string column) =>
            perUser.TryGetValue((label, column), out var v) ? v : perUser[(label, column)] = AverageOverSeeds(byLabel[label], column);
        var comparisons = new List<(string Label, string Column, string Best, int Users, double T, double W)>();
        foreach (var column in columns)
        {
            if (!best.TryGetValue(column, out var top)) continue;
            foreach (var label in labels)
            {
                if (!ranks.TryGetValue((label, column), out var rank) || rank == CellRank.Best) continue;
                var a = UserMeans(top, column);
                var b = UserMeans(label, column);
                if (a is null || b is null) continue;
                var common = a.Keys.Where(b.ContainsKey).Order().ToArray();
                if (common.Length < 2) continue;
                var x = common.Select(u => a[u]).ToArray();
                var y = common.Select(u => b[u]).ToArray();
                comparisons.Add((label, column, top, common.Length, PairedTTest.Test(x, y).P, WilcoxonSignedRank.Test(x, y).P));
            }
        }
        var tHolm = HolmCorrection.Adjust(comparisons.Select(c => c.T).ToList());
        var wHolm = HolmCorrection.Adjust(comparisons.Select(c => c.W).ToList());
        var significance = new Dictionary<(string, string), Significance>();
        for (int i = 0; i < comparisons.Count; i++)
        {
            var c = comparisons[i];
            significance[(c.Label, c.Column)] = new Significance
            {
                Against = c.Best, Users = c.Users, TTestP = c.T, WilcoxonP = c.W, TTestPHolm = tHolm[i], WilcoxonPHolm = wHolm[i],
                Significant = tHolm[i] < Alpha && wHolm[i] < Alpha,
            };
        }

        var references = suite.References is { } refs && refs.TryGetValue(dataset, out var forDataset) ? forDataset : null;
        var rows = labels.Select(label =>
        {
            var labelRuns = byLabel[label];
            var cells = columns.Select(column =>
            {
                if (!stats.TryGetValue((label, column), out var s)) return null;
                double? relative = null;
                if (suite.Baseline is { } baseline && baseline != label && stats.TryGetValue((baseline, column), out var b) && b.Mean != 0)
                    relative = (s.Mean - b.Mean) / b.Mean;
                ReferenceComparison? reference = null;
                if (references is not null && references.TryGetValue(label, out var byColumn) && byColumn.TryGetValue(column, out var value))
                    reference = new ReferenceComparison(value, s.Mean - value, Math.Abs(s.Mean - value) > suite.ReferenceTolerance);
                return new MetricCell
                {
                    Column = column, Mean = s.Mean, Std = s.Std, N = s.N, Rank = ranks[(label, column)],
                    RelativeToBaseline = relative,
                    Significance = significance.GetValueOrDefault((label, column)),
                    Reference = reference,
                    SelectedOnTest = labelRuns.Any(r => s.Ids.Contains(r.Id) && r.Spec.Protocol.Selection == ModelSelection.Test),
                    RunIds = s.Ids,
                };
            }).ToList();
            return new VariantRow
            {
                Label = label,
                IsBaseline = label == suite.Baseline,
                SelectedOnTest = labelRuns.Any(r => r.Spec.Protocol.Selection == ModelSelection.Test),
                Seeds = labelRuns.Select(r => r.Spec.Seed).ToList(),
                Cells = cells,
            };
        }).ToList();

        var selectionMetric = runs.GroupBy(r => r.Spec.Schedule.SelectionMetric).OrderByDescending(g => g.Count()).First().Key;
        return new DatasetBoard
        {
            Dataset = dataset,
            Columns = columns,
            Rows = rows,
            Comparisons = comparisons.Count,
            LossCurves = labels.Select(l => new Curve(l, MeanByEpoch(byLabel[l].SelectMany(r => r.Epochs.Select(e => (e.Epoch, e.Loss)))))).ToList(),
            SelectionMetric = selectionMetric,
            SelectionCurves = labels.Select(l => new Curve(l, MeanByEpoch(byLabel[l].SelectMany(r =>
                SelectionEvaluations(r).Where(e => e.Means.ContainsKey(selectionMetric)).Select(e => (e.Epoch, e.Means[selectionMetric])))))).ToList(),
            Costs = labels.Select(l => BuildCost(l, byLabel[l])).ToList(),
            ExtraCurves = suite.Curves.Select(figure => new FigureCurves(figure, labels
                    .Select(l => new Curve(l, MeanByEpoch(byLabel[l].SelectMany(r => r.Epochs
                        .Where(e => e.Extra.ContainsKey(figure)).Select(e => (e.Epoch, e.Extra[figure]))))))
                    .Where(c => c.Points.Count > 0).ToList()))
                .ToList(),
        };
    }

    /// <summary>Rows in the suite's declaration order of their variants, then any others; rows of one variant by name.</summary>
    private static List<string> OrderLabels(SuiteConfig suite, IEnumerable<RunRecord> runs, Func<RunRecord, string> row)
    {
        var declared = suite.Models.SelectMany(m => m.Variants.Count == 0 ? new[] { m.Model } : m.Variants.Select(v => $"{m.Model}/{v}")).ToList();
        int Rank(string variant) => declared.IndexOf(variant) is >= 0 and var i ? i : int.MaxValue;
        return runs.Select(r => (Variant: r.Spec.Label, Row: row(r))).Distinct()
            .OrderBy(x => Rank(x.Variant)).ThenBy(x => x.Row, StringComparer.Ordinal)
            .Select(x => x.Row).Distinct().ToList();
    }

    private static double? SampleStd(double[] values)
    {
        if (values.Length < 2) return null;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    /// <summary>Each user's value averaged over the seeds that graded them; null when no run kept per-user vectors.</summary>
    private static Dictionary<int, double>? AverageOverSeeds(List<RunRecord> runs, string column)
    {
        var sums = new Dictionary<int, (double Sum, int Count)>();
        bool any = false;
        foreach (var run in runs)
        {
            if (run.TestUsers is not { } users || run.TestPerUser is null || !run.TestPerUser.TryGetValue(column, out var values)) continue;
            if (values.Length != users.Length) continue;
            any = true;
            for (int i = 0; i < users.Length; i++)
            {
                var (sum, count) = sums.GetValueOrDefault(users[i]);
                sums[users[i]] = (sum + values[i], count + 1);
            }
        }
        return any ? sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count) : null;
    }

    /// <summary>The evaluations that picked the best epoch: those on the target the protocol selects with
    /// (<c>validation</c> or <c>test</c>), or all of them when no target has that name; one per epoch.</summary>
    private static IEnumerable<EvaluationRecord> SelectionEvaluations(RunRecord run)
    {
        var target = run.Spec.Protocol.Selection == ModelSelection.Test ? "test" : "validation";
        var named = run.Evaluations.Where(e => string.Equals(e.Target, target, StringComparison.OrdinalIgnoreCase)).ToList();
        return (named.Count > 0 ? named : run.Evaluations).GroupBy(e => e.Epoch).Select(g => g.First());
    }

    private static List<CurvePoint> MeanByEpoch(IEnumerable<(int Epoch, double Value)> points) =>
        points.Where(p => double.IsFinite(p.Value))
            .GroupBy(p => p.Epoch).OrderBy(g => g.Key)
            .Select(g => new CurvePoint(g.Key, g.Average(p => p.Value))).ToList();

    private static CostRow BuildCost(string label, List<RunRecord> runs)
    {
        var epochs = runs.SelectMany(r => r.Epochs).ToList();
        var evaluations = runs.SelectMany(SelectionEvaluations).ToList();
        return new CostRow
        {
            Label = label,
            Runs = runs.Count,
            EpochsRun = runs.Average(r => r.EpochsRun > 0 ? r.EpochsRun : r.Epochs.Count),
            SecondsPerEpoch = epochs.Count > 0 ? epochs.Average(e => e.Seconds) : double.NaN,
            // Weighted by epoch time (total samples / total seconds): a near-instant epoch's huge rate does not dominate.
            SamplesPerSecond = epochs.Sum(e => e.Seconds) is > 0 and var seconds ? epochs.Sum(e => e.SamplesPerSecond * e.Seconds) / seconds : double.NaN,
            EvaluationSeconds = evaluations.Count > 0 ? evaluations.Average(e => e.Seconds) : double.NaN,
            TrainSeconds = runs.Average(r => r.Epochs.Sum(e => e.Seconds)),
            PeakMemoryBytes = epochs.Count > 0 ? epochs.Max(e => e.PeakMemoryBytes) : 0,
            Devices = runs.Where(r => r.Provenance is not null).Select(r => DeviceText(r.Provenance!)).Distinct().ToList(),
        };
    }

    private static string DeviceText(Runs.RunProvenance p) =>
        p.DeviceMemoryBytes > 0 ? $"{p.DeviceName} ({p.Device}, {p.DeviceMemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB)" : $"{p.DeviceName} ({p.Device})";

    private static ReportProvenance BuildProvenance(List<RunRecord> runs, List<DatasetBoard> boards)
    {
        var provenances = runs.Where(r => r.Provenance is not null).Select(r => (Run: r, P: r.Provenance!)).ToList();
        var byId = runs.ToDictionary(r => r.Id);
        return new ReportProvenance
        {
            GitCommits = provenances.Select(x => x.P.GitCommit + (x.P.GitDirty ? "+dirty" : "")).Distinct().Order(StringComparer.Ordinal).ToList(),
            FirstStarted = runs.Count > 0 ? runs.Min(r => r.StartedAt) : null,
            LastEnded = runs.Where(r => r.EndedAt is not null).Select(r => r.EndedAt).Max(),
            Devices = provenances.Select(x => DeviceText(x.P)).Distinct().Order(StringComparer.Ordinal).ToList(),
            Libraries = provenances.SelectMany(x => new[]
            {
                $"TorchSharp {x.P.TorchSharpVersion}", $"libtorch {x.P.LibTorchVersion}", $"plugin contract {x.P.ContractVersion}", x.P.OperatingSystem,
            }).Distinct().ToList(),
            Plugins = provenances.Select(x => $"{x.Run.Spec.Model}: {Path.GetFileName(x.P.PluginAssemblyPath)} {x.P.PluginVersion} sha256:{x.P.PluginSha256}")
                .Distinct().Order(StringComparer.Ordinal).ToList(),
            Hosts = provenances.Select(x => x.P.Host).Distinct().Order(StringComparer.Ordinal).ToList(),
            DatasetChecksums = runs.GroupBy(r => r.Spec.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new DatasetChecksum(
                    g.Key,
                    string.Join(", ", g.Select(r => r.Spec.DatasetFingerprint).Distinct()),
                    g.Where(r => r.Provenance is not null).SelectMany(r => r.Provenance!.DatasetChecksums)
                        .Select(kv => $"{kv.Key} sha256:{kv.Value}").Distinct().Order(StringComparer.Ordinal).ToList()))
                .ToList(),
            CellRuns = boards.SelectMany(b => b.Rows.Select(row => new CellRuns(b.Dataset, row.Label,
                    row.Cells.Where(c => c is not null).SelectMany(c => c!.RunIds).Distinct()
                        .Select(id => new RunRef(id, byId[id].Spec.Seed, byId[id].Key)).OrderBy(r => r.Seed).ToList())))
                .ToList(),
        };
    }
}
