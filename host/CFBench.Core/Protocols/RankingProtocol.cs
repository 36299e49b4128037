using System.Diagnostics;
using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Core.Protocols;

/// <summary>
/// What the three protocols share: batched scoring, masking and tie-exact grading on the device. Per batch of
/// <see cref="ProtocolOptions.UserBatch"/> users: score (all items, or only the target's candidates), set masked
/// entries to -inf with one index_put_, find each relevant item's tie group from topk (see
/// <see cref="TieGroupCounter"/>), and compute the per-user metrics on the host from those counts.
/// </summary>
public abstract class RankingProtocol : IProtocol
{
    protected RankingProtocol(ProtocolOptions options)
    {
        Options = options;
        Columns = MetricColumn.FromOptions(options.K, options.Metrics);
    }

    public ProtocolOptions Options { get; }

    public virtual bool ScoresHeldOutUsers => false;

    /// <summary>The graded columns, named as <see cref="ProtocolOptions.MetricColumns"/>.</summary>
    public IReadOnlyList<MetricColumn> Columns { get; }

    /// <summary>What recall divides by under this protocol.</summary>
    protected abstract RecallDenominator Recall { get; }

    /// <summary>Whether a target's known items are masked before ranking (only when all items are scored).</summary>
    protected abstract bool MasksKnown { get; }

    public abstract EvaluationPlan Plan(InteractionDataset data, long seed);

    public EvaluationResult Evaluate(IRecommender model, EvaluationTarget target, Device device, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        var graded = new MetricAccumulator(Columns, Options.Ties, Recall);
        int maxK = Columns.Max(c => c.K);
        bool dropDuplicates = !string.Equals(Options.DuplicateNegative, "keep", StringComparison.OrdinalIgnoreCase);
        int users = target.Users.Length, batch = BlockRows(target, device);
        using var noGrad = no_grad();
        for (int start = 0; start < users; start += batch)
        {
            cancel.ThrowIfCancellationRequested();
            var rows = Enumerable.Range(start, Math.Min(batch, users - start)).ToArray();
            var known = target.Known.SelectRows(rows);
            var relevant = target.Relevant.SelectRows(rows);
            var request = rows.Select(r => (long)target.Users[r]).ToArray();
            List<TieGroup>[] groups;
            using (NewDisposeScope())
            {
                try
                {
                    groups = target.Candidates is { } candidates
                        ? RankCandidates(model, target.Scored, request, known, relevant, candidates.SelectRows(rows), dropDuplicates, maxK, device)
                        : RankAllItems(model, target.Scored, request, known, relevant, maxK, device);
                }
                catch (NaNScoresException)
                {
                    throw new InvalidOperationException($"model {model.GetType().Name}: Score returned NaN scores");
                }
            }
            for (int b = 0; b < rows.Length; b++)
                if (relevant.RowLength(b) > 0) graded.Add(target.Users[rows[b]], groups[b], relevant.RowLength(b));
        }
        return graded.ToResult(target.Name, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Users per score block: <see cref="ProtocolOptions.UserBatch"/>, and when all items are scored on the CPU, at most
    /// what keeps a block under <see cref="CpuBlockBytes"/>. Every block's tensors are allocated afresh, and on the
    /// CPU blocks above glibc's mmap threshold (32 MB, see the CLI's NativeHeap) are mapped and faulted in page by page
    /// each time, which on a VM costs more than the scoring: all Gowalla users took 66 s in blocks of 4096 and 5.7 s in
    /// blocks of 100 on 2 cores. Results do not depend on the block size.
    /// </summary>
    private int BlockRows(EvaluationTarget target, Device device)
    {
        int rows = Math.Max(1, Options.UserBatch);
        if (device.type != DeviceType.CPU || target.Candidates is not null) return rows;   // candidate lists are narrow
        return (int)Math.Clamp(CpuBlockBytes / (sizeof(float) * Math.Max(1L, target.Known.Columns)), 1, rows);
    }

    private const long CpuBlockBytes = 16L << 20;

    private List<TieGroup>[] RankAllItems(IRecommender model, ScoredUsers scored, long[] users, InteractionMatrix known,
        InteractionMatrix relevant, int maxK, Device device)
    {
        var scores = ScoreBlock(model, Request(scored, users, known, null), known.Columns, device);
        if (MasksKnown && known.Count > 0)
        {
            var rows = tensor(known.EntryRows().Select(r => (long)r).ToArray(), device: device);
            var cols = tensor(ToLong(known.ColumnIndices), device: device);
            scores.index_put_(float.NegativeInfinity, rows, cols);
        }
        return TieGroupCounter.Count(scores, maxK, relevant.EntryRows().Select(r => (long)r).ToArray(), ToLong(relevant.ColumnIndices));
    }

    private static List<TieGroup>[] RankCandidates(IRecommender model, ScoredUsers scored, long[] users, InteractionMatrix known,
        InteractionMatrix relevant, InteractionMatrix negatives, bool dropDuplicates, int maxK, Device device)
    {
        var layout = CandidateLayout.Build(relevant, negatives, dropDuplicates);
        var candidates = tensor(layout.Items, new long[] { layout.Rows, layout.Width }, device: device);
        var scores = ScoreBlock(model, Request(scored, users, known, candidates), layout.Width, device);

        var padRows = new List<long>();
        var padCols = new List<long>();
        var relRows = new List<long>();
        var relCols = new List<long>();
        for (int b = 0; b < layout.Rows; b++)
        {
            for (int j = 0; j < layout.RelevantCounts[b]; j++) { relRows.Add(b); relCols.Add(j); }
            for (int j = layout.Lengths[b]; j < layout.Width; j++) { padRows.Add(b); padCols.Add(j); }
        }
        if (padRows.Count > 0)
            scores.index_put_(float.NegativeInfinity, tensor(padRows.ToArray(), device: device), tensor(padCols.ToArray(), device: device));
        return TieGroupCounter.Count(scores, maxK, relRows.ToArray(), relCols.ToArray());
    }

    /// <summary>Training users are asked for by id; held-out users only by their fold-in rows (their row numbers in the
    /// target are the host's, not ids the model knows).</summary>
    private static ScoreRequest Request(ScoredUsers scored, long[] users, InteractionMatrix known, Tensor? candidates) =>
        scored == ScoredUsers.HeldOut
            ? ScoreRequest.ForHeldOutUsers(known, candidates)
            : ScoreRequest.ForTrainingUsers(users, known, candidates);

    /// <summary>
    /// Calls the model and returns a [rows, width] float32 or float64 tensor on <paramref name="device"/> that the host
    /// may overwrite. The model's tensor is always copied (unless a dtype or device conversion already did): it may be a
    /// view of the model's own buffers (a cached score matrix, an expanded popularity row), and masking writes in place.
    /// The copy is made by the clamp that turns a model score of -inf into the lowest finite value, because -inf
    /// marks a masked entry: an item the model ranks last still ranks above the masked ones, and items the model
    /// scores -inf still tie with each other (they merge only with items scored exactly the lowest finite value).
    /// NaN passes the clamp; <see cref="TieGroupCounter"/> refuses a NaN among the ranked (unmasked) scores.
    /// </summary>
    private static Tensor ScoreBlock(IRecommender model, ScoreRequest request, long width, Device device)
    {
        var scores = model.Score(request);
        if (scores is null || scores.dim() != 2 || scores.shape[0] != request.Count || scores.shape[1] != width)
        {
            var shape = scores is null ? "null" : $"[{string.Join(", ", scores.shape)}]";
            throw new InvalidOperationException($"model {model.GetType().Name}: Score returned {shape} for {request.Count} users, expected [{request.Count}, {width}]");
        }
        bool copied = false;
        if (scores.dtype != float32 && scores.dtype != float64) { scores = scores.to(float32); copied = true; }
        bool sameDevice = scores.device_type == device.type && (device.index < 0 || scores.device_index == device.index);
        if (!sameDevice) { scores = scores.to(device); copied = true; }
        scores = scores.detach();
        double lowest = scores.dtype == float64 ? double.MinValue : float.MinValue;
        return copied ? scores.clamp_min_(lowest) : scores.clamp_min(lowest);
    }

    private static long[] ToLong(ReadOnlySpan<int> values)
    {
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
