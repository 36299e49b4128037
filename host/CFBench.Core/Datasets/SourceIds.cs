using System.Globalization;

namespace CFBench.Core.Datasets;

/// <summary>
/// The ids the dataset's files give the rows and columns of its matrices, where a reader renumbers them (a raw log's
/// users and items): <see cref="Items"/> for every matrix's columns, <see cref="Users"/> for the rows of the training
/// and test matrices (and the test negatives), <see cref="ValidationUsers"/>/<see cref="TestUsers"/> for the rows of
/// the held-out users. A dataset without it numbers its rows and columns by the files' own ids.
/// </summary>
public sealed record SourceIds(string[] Items, string[] Users, string[]? ValidationUsers = null, string[]? TestUsers = null)
{
    public static string[] Text(IEnumerable<long> ids) => ids.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Ids in index order from an id → index map.</summary>
    public static string[] Text(IReadOnlyDictionary<long, int> index)
    {
        var ids = new string[index.Count];
        foreach (var (id, i) in index) ids[i] = id.ToString(CultureInfo.InvariantCulture);
        return ids;
    }
}
