using System.Globalization;
using System.Text;
using CFBench.Core.Tracking;
using CFBench.Core.Tracking.Export;
using static CFBench.Tests.Tracking.TrackingSamples;

namespace CFBench.Tests.Tracking;

public class RunExportTests
{
    private static IReadOnlyList<RunRecord> SampleRuns(out string path)
    {
        path = NewDatabase();
        using var store = RunStore.Open(path);
        RecordRun(store, Spec("LightGCN", 1));
        var failed = RecordRun(store, Spec("NGCF", 2, parameters: new Dictionary<string, object>
        {
            ["note"] = "a, \"quoted\"\nvalue", ["lr"] = 0.0005,
        }), finish: false);
        store.Fail(failed, "CUDA out of memory, \"twice\"\nsecond line", interrupted: false);
        return store.List(detail: RunDetail.History);
    }

    [Fact]
    public void CsvRoundTripsThroughAStandardParser()
    {
        var runs = SampleRuns(out _);
        var writer = new StringWriter();
        RunCsvExporter.Write(runs, writer);
        var rows = ParseCsv(writer.ToString());

        Assert.Equal(runs.Count + 1, rows.Count);
        var header = rows[0];
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        var cell = (int row, string column) => rows[row][header.IndexOf(column)];
        for (int i = 0; i < runs.Count; i++)
        {
            Assert.Equal(runs[i].Id.ToString(CultureInfo.InvariantCulture), cell(i + 1, "id"));
            Assert.Equal(runs[i].Key, cell(i + 1, "key"));
            Assert.Equal(runs[i].Status.ToString().ToLowerInvariant(), cell(i + 1, "status"));
            foreach (var (name, value) in runs[i].Spec.Parameters)
                Assert.Equal(Convert.ToString(value, CultureInfo.InvariantCulture), cell(i + 1, "param:" + name), ignoreCase: true);
            foreach (var (metric, value) in runs[i].TestMetrics)
                Assert.Equal(value, double.Parse(cell(i + 1, "test:" + metric), CultureInfo.InvariantCulture));
        }
        Assert.Equal("CUDA out of memory, \"twice\"\nsecond line", cell(2, "error"));
        Assert.Equal("a, \"quoted\"\nvalue", cell(2, "param:note"));
        Assert.Equal("", cell(2, "test:recall@20"));
        Assert.Equal(7.5, double.Parse(cell(1, "train_seconds"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void JsonRoundTripsRecords()
    {
        var runs = SampleRuns(out _);
        using var buffer = new MemoryStream();
        RunJsonExporter.Write(runs, buffer);
        buffer.Position = 0;
        var back = RunJsonExporter.Read(buffer);

        Assert.Equal(runs.Count, back.Count);
        for (int i = 0; i < runs.Count; i++)
        {
            var (a, b) = (runs[i], back[i]);
            Assert.Equal(a.Key, b.Key);
            Assert.Equal(a.Key, b.Spec.Key); // the whole spec, parameter kinds and protocol options included
            Assert.Equal(a.Status, b.Status);
            Assert.Equal(a.Error, b.Error);
            Assert.Equal(a.StartedAt, b.StartedAt);
            Assert.Equal(a.Provenance!.DatasetChecksums, b.Provenance!.DatasetChecksums);
            Assert.Equal(a.Provenance with { DatasetChecksums = b.Provenance.DatasetChecksums }, b.Provenance);
            Assert.Equal(a.Epochs, b.Epochs);
            Assert.Equal(a.Evaluations.Select(e => (e.Epoch, e.Target, e.Seconds)), b.Evaluations.Select(e => (e.Epoch, e.Target, e.Seconds)));
            Assert.Equal(a.Evaluations.SelectMany(e => e.Means), b.Evaluations.SelectMany(e => e.Means));
            Assert.Equal(a.TestMetrics, b.TestMetrics);
            foreach (var (name, value) in a.Spec.Parameters) Assert.Equal(value.GetType(), b.Spec.Parameters[name].GetType());
        }
    }

    [Fact]
    public void EveryExportCarriesTheModelsFigures()
    {
        var runs = SampleRuns(out _);
        var finished = runs.Single(r => r.Status == RunStatus.Finished);
        var failed = runs.Single(r => r.Status == RunStatus.Failed);

        // CSV: one column per figure, at the best epoch (2) of a finished run, the last (3) of one without a best epoch.
        var writer = new StringWriter();
        RunCsvExporter.Write(runs, writer);
        var rows = ParseCsv(writer.ToString());
        var column = rows[0].IndexOf("extra:negative_collisions");
        Assert.True(column >= 0, string.Join(",", rows[0]));
        Assert.Contains("extra:beta", rows[0]);
        Assert.Equal("20", rows[1 + runs.ToList().IndexOf(finished)][column]);
        Assert.Equal("30", rows[1 + runs.ToList().IndexOf(failed)][column]);

        // JSON: every epoch's figures.
        using var buffer = new MemoryStream();
        RunJsonExporter.Write(runs, buffer);
        Assert.Contains("\"negative_collisions\": 20", Encoding.UTF8.GetString(buffer.ToArray()));
        buffer.Position = 0;
        Assert.Equal(new[] { Extra(1), Extra(2), Extra(3) }, RunJsonExporter.Read(buffer)[0].Epochs.Select(e => e.Extra));

        // MLflow: a metric per figure, one line per epoch with the epoch as step.
        var root = Path.Combine(RepoPaths.TempDirectory(), "mlruns");
        MlflowExporter.Export(runs, root);
        var beta = File.ReadAllLines(Path.Combine(root, "1", MlflowExporter.RunUuid(finished), "metrics", "extra.beta"))
            .Select(l => l.Split(' ')).ToList();
        Assert.Equal(new[] { "1", "2", "3" }, beta.Select(p => p[2]));
        Assert.Equal(new[] { 0.05, 0.1, 0.15 }, beta.Select(p => double.Parse(p[1], CultureInfo.InvariantCulture)), new ToleranceComparer(1e-12));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void MlflowExportHasFileStoreLayout()
    {
        var runs = SampleRuns(out _);
        var root = Path.Combine(RepoPaths.TempDirectory(), "mlruns");
        MlflowExporter.Export(runs, root);

        Assert.True(Directory.Exists(Path.Combine(root, ".trash")));
        Assert.Contains("name: 'Default'", File.ReadAllText(Path.Combine(root, "0", "meta.yaml")));
        var experiment = Yaml(Path.Combine(root, "1", "meta.yaml"));
        Assert.Equal("'lightgcn-gowalla'", experiment["name"]);
        Assert.Equal("'1'", experiment["experiment_id"]);
        Assert.Equal("active", experiment["lifecycle_stage"]);

        var finished = runs.Single(r => r.Status == RunStatus.Finished);
        var runDir = Path.Combine(root, "1", MlflowExporter.RunUuid(finished));
        var meta = Yaml(Path.Combine(runDir, "meta.yaml"));
        Assert.Equal(MlflowExporter.RunUuid(finished), meta["run_id"]);
        Assert.Matches("^[0-9a-f]{32}$", meta["run_uuid"]);
        Assert.Equal("3", meta["status"]); // FINISHED
        Assert.Equal(finished.StartedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), meta["start_time"]);
        Assert.Equal("'1'", meta["experiment_id"]);
        Assert.True(Directory.Exists(Path.Combine(runDir, "artifacts")));

        Assert.Equal("1", File.ReadAllText(Path.Combine(runDir, "params", "seed")));
        Assert.Equal("0.001", File.ReadAllText(Path.Combine(runDir, "params", "lr")));
        Assert.Equal("pessimistic", File.ReadAllText(Path.Combine(runDir, "params", "protocol.ties")));
        Assert.Equal(finished.Key, File.ReadAllText(Path.Combine(runDir, "tags", "cfbench.key")));
        Assert.Equal("LightGCN/K3 seed 1", File.ReadAllText(Path.Combine(runDir, "tags", "mlflow.runName")));

        var loss = File.ReadAllLines(Path.Combine(runDir, "metrics", "train.loss")).Select(l => l.Split(' ')).ToList();
        Assert.Equal(3, loss.Count);
        Assert.All(loss, parts => Assert.Equal(3, parts.Length));
        Assert.Equal(new[] { "1", "2", "3" }, loss.Select(p => p[2]));
        Assert.Equal(0.5, double.Parse(loss[1][1], CultureInfo.InvariantCulture));
        Assert.True(long.Parse(loss[0][0], CultureInfo.InvariantCulture) >= finished.StartedAt.ToUnixTimeMilliseconds());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(runDir, "metrics", "validation.recall_at_20")).Length);
        var test = File.ReadAllLines(Path.Combine(runDir, "metrics", "recall_at_20")).Single().Split(' ');
        Assert.Equal(("0.18", "2"), (test[1], test[2]));
        Assert.All(Directory.EnumerateFiles(runDir, "*", SearchOption.AllDirectories).Select(Path.GetFileName),
            name => Assert.Matches(@"^[\w.\- ]+$", name!));

        var failedMeta = Yaml(Path.Combine(root, "1", MlflowExporter.RunUuid(runs.Single(r => r.Status == RunStatus.Failed)), "meta.yaml"));
        Assert.Equal("4", failedMeta["status"]);

        MlflowExporter.Export(runs, root); // again: same experiment, same run folders
        Assert.Equal(new[] { "0", "1" }, Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n != ".trash").Order());
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(root, "1")).Length);
    }

    private static Dictionary<string, string> Yaml(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add(row); row = new List<string>();
                i++;
            }
            else cell.Append(c);
        }
        return rows;
    }
}
