using CFBench.Core.Protocols;

namespace CFBench.Core.Metrics;

/// <summary>Collects the per-user values of every metric column and their means.</summary>
public sealed class MetricAccumulator
{
    private readonly IReadOnlyList<MetricColumn> _columns;
    private readonly TiePolicy _ties;
    private readonly RecallDenominator _recall;
    private readonly List<float>[] _values;
    private readonly double[] _sums;
    private readonly List<int> _users = new();

    public MetricAccumulator(IReadOnlyList<MetricColumn> columns, TiePolicy ties, RecallDenominator recall)
    {
        _columns = columns;
        _ties = ties;
        _recall = recall;
        _values = columns.Select(_ => new List<float>()).ToArray();
        _sums = new double[columns.Count];
    }

    public int Count => _users.Count;

    /// <summary>Grades one user with <paramref name="relevantCount"/> &gt; 0 relevant items.</summary>
    public void Add(int user, IReadOnlyList<TieGroup> groups, int relevantCount)
    {
        _users.Add(user);
        for (int j = 0; j < _columns.Count; j++)
        {
            var value = RankMetrics.Value(_columns[j], groups, relevantCount, _ties, _recall);
            _sums[j] += value;
            _values[j].Add((float)value);
        }
    }

    public EvaluationResult ToResult(string target, double seconds)
    {
        var means = new Dictionary<string, double>();
        var perUser = new Dictionary<string, float[]>();
        for (int j = 0; j < _columns.Count; j++)
        {
            means[_columns[j].Name] = Count == 0 ? double.NaN : _sums[j] / Count;
            perUser[_columns[j].Name] = _values[j].ToArray();
        }
        return new EvaluationResult(target, means, perUser, _users.ToArray(), seconds);
    }
}
