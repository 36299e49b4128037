using Dapper;

namespace CFBench.Core.Tracking;

// Run keys across contract versions.
public sealed partial class RunStore
{
    /// <summary>
    /// Re-keys runs recorded under an older key scheme: each run whose key is a pair's legacy key takes the pair's
    /// current key (unless a run already has it). Called with a plan's runs before they are looked up, so a store
    /// written by contract 1 keeps its finished runs. Returns how many runs were re-keyed.
    /// </summary>
    public int AdoptLegacyKeys(IEnumerable<(string Legacy, string Current)> keys) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction(deferred: false);
        int changed = 0;
        foreach (var (legacy, current) in keys.Where(k => k.Legacy != k.Current).Distinct())
            changed += _connection.Execute(
                "UPDATE runs SET key = @current WHERE key = @legacy AND NOT EXISTS (SELECT 1 FROM runs WHERE key = @current)",
                new { legacy, current }, tx);
        tx.Commit();
        return changed;
    });
}
