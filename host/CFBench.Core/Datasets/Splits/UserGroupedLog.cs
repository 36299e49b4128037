using CFBench.Core.Datasets.Readers;

namespace CFBench.Core.Datasets.Splits;

/// <summary>The kept records of a <see cref="RatingLog"/> grouped by user: users in ascending raw id, each user's
/// records in file order.</summary>
public sealed class UserGroupedLog
{
    private readonly int[] _offsets;
    private readonly int[] _records;

    public UserGroupedLog(RatingLog log, int[] keptRecords)
    {
        Log = log;
        UserIds = keptRecords.Select(k => log.Users[k]).Distinct().Order().ToArray();
        var index = new Dictionary<long, int>(UserIds.Length);
        for (int u = 0; u < UserIds.Length; u++) index[UserIds[u]] = u;
        _offsets = new int[UserIds.Length + 1];
        var userOf = new int[keptRecords.Length];
        for (int n = 0; n < keptRecords.Length; n++) _offsets[(userOf[n] = index[log.Users[keptRecords[n]]]) + 1]++;
        for (int u = 0; u < UserIds.Length; u++) _offsets[u + 1] += _offsets[u];
        var cursor = _offsets[..^1].ToArray();
        _records = new int[keptRecords.Length];
        for (int n = 0; n < keptRecords.Length; n++) _records[cursor[userOf[n]]++] = keptRecords[n];
        KeptRecords = keptRecords;
    }

    public RatingLog Log { get; }
    public long[] UserIds { get; }
    public int[] KeptRecords { get; }
    public int UserCount => UserIds.Length;

    /// <summary>Record indices of user <paramref name="user"/> (its position in <see cref="UserIds"/>), in file order.</summary>
    public ReadOnlySpan<int> RecordsOf(int user) => _records.AsSpan(_offsets[user], _offsets[user + 1] - _offsets[user]);

    /// <summary>Item ids of the kept records, ascending, and their index.</summary>
    public Dictionary<long, int> ItemsInAscendingOrder()
    {
        var ids = KeptRecords.Select(k => Log.Items[k]).Distinct().Order().ToArray();
        var index = new Dictionary<long, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++) index[ids[i]] = i;
        return index;
    }
}
