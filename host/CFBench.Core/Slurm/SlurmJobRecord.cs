using System.Text.Json;
using CFBench.Core.Tracking;

namespace CFBench.Core.Slurm;

/// <summary>One planned run of a submitted array: which shard (array task) plays it.</summary>
public sealed record SlurmJobRun(int Shard, string Key, string Dataset, string Label, long Seed);

/// <summary>
/// What <c>cfbench slurm submit</c> sent, kept beside the task stores as <c>&lt;job&gt;.json</c>: the array job id,
/// the suite, the shard count, the script, and every run with its shard, so <c>cfbench slurm status</c> shows the
/// runs of each task without planning the suite again.
/// </summary>
public sealed record SlurmJobRecord(string Job, string Suite, int Shards, string Script, DateTimeOffset SubmittedAt, IReadOnlyList<SlurmJobRun> Runs)
{
    public static string PathOf(string storeDirectory, string job) => Path.Combine(storeDirectory, $"{job}.json");

    public void Save(string storeDirectory) =>
        File.WriteAllText(PathOf(storeDirectory, Job), JsonSerializer.Serialize(this, TrackingJson.Indented));

    /// <summary>The record of <paramref name="job"/>, or (null job) the newest one in the folder.</summary>
    public static SlurmJobRecord Load(string storeDirectory, string? job)
    {
        string path;
        if (job is not null) path = PathOf(storeDirectory, job);
        else
        {
            path = Directory.Exists(storeDirectory)
                ? Directory.EnumerateFiles(storeDirectory, "*.json").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() ?? ""
                : "";
            if (path.Length == 0) throw new FileNotFoundException($"{storeDirectory}: no submitted job (cfbench slurm submit writes <job>.json here)");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such submitted job");
        try
        {
            return JsonSerializer.Deserialize<SlurmJobRecord>(File.ReadAllText(path), TrackingJson.Options)
                   ?? throw new InvalidDataException($"{path}: empty job record");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable job record ({ErrorText.FirstLine(e.Message)})");
        }
    }
}
