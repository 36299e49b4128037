using System.Text.Json.Nodes;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// A raw log's declared preprocessing (the card's <c>preprocessing</c> object), applied in the order of Mult-VAE's
/// notebook: rating threshold, then items with fewer than <see cref="MinItemCount"/> ratings dropped, then users with
/// fewer than <see cref="MinUserCount"/> dropped (one pass each, so a few items may end below the item minimum), then
/// the iterated <see cref="KCore"/>: items and users with fewer than k ratings dropped, again and again until every
/// user and item left has at least k.
/// Repeated (user, item) pairs are kept once (the latest) after the threshold and counted.
/// </summary>
public sealed record RawPreprocessing
{
    /// <summary>Keep ratings &gt;= this value.</summary>
    public double? RatingAtLeast { get; init; }
    /// <summary>Keep ratings &gt; this value (Mult-VAE: 3.5).</summary>
    public double? RatingAbove { get; init; }
    public int MinItemCount { get; init; }
    public int MinUserCount { get; init; }
    /// <summary>Iterated k-core (0: none).</summary>
    public int KCore { get; init; }

    /// <summary>True when the declaration filters records one by one (rating thresholds only), which is all a given
    /// split allows.</summary>
    public bool AppliesToRecords => MinItemCount == 0 && MinUserCount == 0 && KCore == 0;

    private static readonly string[] Keys = { "ratingAtLeast", "ratingAbove", "minItemCount", "minUserCount", "kCore" };

    public static RawPreprocessing Parse(JsonObject? json, string datasetName)
    {
        if (json is null) return new RawPreprocessing();
        foreach (var (key, _) in json)
            if (!Keys.Contains(key))
                throw new DatasetException($"dataset '{datasetName}': preprocessing: unknown key '{key}' (known: {string.Join(", ", Keys)})");
        try
        {
            return new RawPreprocessing
            {
                RatingAtLeast = json["ratingAtLeast"]?.GetValue<double>(),
                RatingAbove = json["ratingAbove"]?.GetValue<double>(),
                MinItemCount = json["minItemCount"]?.GetValue<int>() ?? 0,
                MinUserCount = json["minUserCount"]?.GetValue<int>() ?? 0,
                KCore = json["kCore"]?.GetValue<int>() ?? 0,
            } is { MinItemCount: >= 0, MinUserCount: >= 0, KCore: >= 0 } parsed
                ? parsed
                : throw new DatasetException($"dataset '{datasetName}': preprocessing: counts must not be negative");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new DatasetException($"dataset '{datasetName}': preprocessing: {e.Message}");
        }
    }

    public bool Keeps(double rating) =>
        (RatingAtLeast is not { } least || rating >= least) && (RatingAbove is not { } above || rating > above);

    /// <summary>Indices of the records kept, in file order; what was dropped is counted in <paramref name="notes"/>,
    /// repeated pairs in <paramref name="duplicates"/>.</summary>
    public int[] Apply(RatingLog log, IDictionary<string, long> notes, out long duplicates)
    {
        var kept = new List<int>(log.Count);
        for (int k = 0; k < log.Count; k++) if (Keeps(log.Ratings[k])) kept.Add(k);
        notes["ratings read"] = log.Count;
        notes["users in the log"] = log.Users.Distinct().LongCount();
        notes["items in the log"] = log.Items.Distinct().LongCount();
        if (RatingAtLeast is not null || RatingAbove is not null) notes["ratings below the threshold"] = log.Count - kept.Count;

        // Repeated (user, item): keep the record with the latest timestamp (the later line on a tie).
        duplicates = 0;
        var latest = new Dictionary<(long, long), int>(kept.Count);
        foreach (var k in kept)
        {
            var key = (log.Users[k], log.Items[k]);
            if (!latest.TryGetValue(key, out var previous) || log.Timestamps[k] >= log.Timestamps[previous]) latest[key] = k;
        }
        if (latest.Count != kept.Count)
        {
            duplicates = kept.Count - latest.Count;
            kept = kept.Where(k => latest[(log.Users[k], log.Items[k])] == k).ToList();
        }

        if (MinItemCount > 0)
        {
            var counts = CountBy(log.Items, kept);
            int before = kept.Count;
            kept = kept.Where(k => counts[log.Items[k]] >= MinItemCount).ToList();
            notes[$"ratings of items with < {MinItemCount} ratings"] = before - kept.Count;
        }
        if (MinUserCount > 0)
        {
            var counts = CountBy(log.Users, kept);
            int before = kept.Count;
            kept = kept.Where(k => counts[log.Users[k]] >= MinUserCount).ToList();
            notes[$"ratings of users with < {MinUserCount} ratings"] = before - kept.Count;
        }
        if (KCore > 0)
        {
            int before = kept.Count, passes = 0;
            while (true)
            {
                passes++;
                var items = CountBy(log.Items, kept);
                var users = CountBy(log.Users, kept);
                var next = kept.Where(k => items[log.Items[k]] >= KCore && users[log.Users[k]] >= KCore).ToList();
                if (next.Count == kept.Count) break;
                kept = next;
            }
            notes[$"ratings dropped by the {KCore}-core"] = before - kept.Count;
            notes[$"{KCore}-core passes"] = passes;
        }
        return kept.ToArray();
    }

    private static Dictionary<long, int> CountBy(long[] ids, List<int> records)
    {
        var counts = new Dictionary<long, int>();
        foreach (var k in records) counts[ids[k]] = counts.GetValueOrDefault(ids[k]) + 1;
        return counts;
    }
}
