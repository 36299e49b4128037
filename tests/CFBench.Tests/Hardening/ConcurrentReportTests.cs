using CFBench.Core.Reporting;
using CFBench.Core.Reporting.Exporters;
using CFBench.Tests.Reporting;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 8: several reports published into one folder at once never fail on a shared temporary
/// file, and leave none behind.</summary>
public class ConcurrentReportTests
{
    [Fact]
    public void FourPublishersAtOnceAllSucceed()
    {
        var root = RepoPaths.TempDirectory();
        var board = new LeaderboardBuilder().Build(ReportFixture.SuiteName, ReportFixture.Suite(), ReportFixture.Records(), DateTimeOffset.UtcNow);
        var descriptions = new Dictionary<string, string>();
        var failures = new List<Exception>();
        using var start = new Barrier(4);
        var writers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var publisher = new ReportPublisher(ReportTemplates.Embedded);
            start.SignalAndWait();
            for (int i = 0; i < 15; i++)
            {
                try { publisher.Publish(board, root, new[] { "html", "md", "csv" }, descriptions); }
                catch (Exception e) { lock (failures) failures.Add(e); }
            }
        })).ToList();
        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());

        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(e => $"{e.GetType().Name}: {e.Message}")));
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(root, ReportFixture.SuiteName, "index.html")));
    }
}
