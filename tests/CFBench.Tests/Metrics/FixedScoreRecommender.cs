using CFBench.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Tests.Metrics;

/// <summary>A recommender whose scores are a fixed matrix (row = the requested user id); records every request.
/// Held-out users have no ids: they are taken as the matrix's rows in order, one request after the other, as the
/// host asks for a target's users. With <c>returnCachedTensor</c> it hands out views of one tensor it keeps, as a
/// caching model would.</summary>
public sealed class FixedScoreRecommender : IRecommender
{
    private readonly float[][] _scores;
    private readonly Tensor _matrix;
    private readonly bool _returnCached;
    private long _nextHeldOutRow;

    public FixedScoreRecommender(float[][] scores, bool returnCachedTensor = false, Device? device = null)
    {
        _scores = scores;
        _returnCached = returnCachedTensor;
        int items = scores.Length == 0 ? 0 : scores[0].Length;
        _matrix = tensor(scores.SelectMany(r => r).ToArray(), new long[] { scores.Length, items }, device: device ?? CPU);
    }

    public List<(long[] Users, int[][] History, long[,]? Candidates)> Requests { get; } = new();

    /// <summary>The scores the model holds, read back from its tensor (to see whether the host overwrote them).</summary>
    public float[] HeldScores() => _matrix.cpu().data<float>().ToArray();

    public Tensor Score(ScoreRequest request)
    {
        var h = request.History;
        var history = Enumerable.Range(0, h.Rows).Select(r => h.Row(r).ToArray()).ToArray();
        var users = request.Users == ScoredUsers.Training ? request.UserIds : HeldOutRows(request.Count);
        long[,]? candidates = null;
        if (request.Candidates is { } c)
        {
            var flat = c.cpu().data<long>().ToArray();
            candidates = new long[c.shape[0], c.shape[1]];
            for (int i = 0; i < flat.Length; i++) candidates[i / c.shape[1], i % c.shape[1]] = flat[i];
        }
        Requests.Add((users, history, candidates));

        if (_returnCached && candidates is null && request.Count == _scores.Length)
            return _matrix; // the model's own tensor, as is
        var rows = _matrix.index_select(0, tensor(users, device: _matrix.device));
        if (candidates is null) return rows;
        return rows.gather(1, request.Candidates!);
    }

    private long[] HeldOutRows(int count)
    {
        var rows = Enumerable.Range(0, count).Select(i => _nextHeldOutRow + i).ToArray();
        _nextHeldOutRow = (_nextHeldOutRow + count) % _scores.Length;
        return rows;
    }

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context) { }
    public EpochReport TrainEpoch(CancellationToken cancel) => throw new NotSupportedException();
    public void SaveCheckpoint(Stream stream) { }
    public void LoadCheckpoint(Stream stream) { }
    public void Dispose() => _matrix.Dispose();
}
