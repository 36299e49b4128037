using CFBench.Core.Reporting.Exporters;

namespace CFBench.Core.Reporting;

/// <summary>
/// Writes a suite's leaderboard under <c>OUT/&lt;suite&gt;/</c> in the chosen formats and regenerates
/// <c>OUT/index.html</c>, the list of every suite published there. Each file is rendered completely in memory and
/// then moved into place, so a failure never leaves a half-written report.
/// </summary>
public sealed class ReportPublisher
{
    private readonly ReportTemplates _templates;

    public ReportPublisher(ReportTemplates templates)
    {
        _templates = templates;
        Exporters = new ILeaderboardExporter[] { new HtmlExporter(templates), new MarkdownExporter(), new CsvExporter() };
    }

    public IReadOnlyList<ILeaderboardExporter> Exporters { get; }

    public ILeaderboardExporter Exporter(string format) =>
        Exporters.FirstOrDefault(e => string.Equals(e.Format, format, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown report format '{format}' (known: {string.Join(", ", Exporters.Select(e => e.Format))})");

    /// <summary>Writes the suite's files and the site index; returns the paths written.</summary>
    public IReadOnlyList<string> Publish(Leaderboard board, string outRoot, IEnumerable<string> formats,
        IReadOnlyDictionary<string, string> suiteDescriptions)
    {
        if (FolderNameProblem(board.Suite) is { } problem) throw new ArgumentException(problem);
        var exporters = formats.Select(Exporter).Distinct().ToList();
        // Render everything first: an error in one format writes nothing.
        var rendered = exporters.Select(e =>
        {
            var writer = new StringWriter { NewLine = "\n" };
            e.Export(board, writer);
            return (e.FileName, Text: writer.ToString());
        }).ToList();
        var folder = Path.Combine(outRoot, board.Suite);
        Directory.CreateDirectory(folder);
        var written = rendered.Select(r => WriteAtomically(Path.Combine(folder, r.FileName), r.Text)).ToList();
        written.Add(WriteSiteIndex(outRoot, suiteDescriptions, board.GeneratedAt));
        return written;
    }

    /// <summary>Regenerates <c>OUT/index.html</c> from the suite folders that hold an index.html.</summary>
    public string WriteSiteIndex(string outRoot, IReadOnlyDictionary<string, string> suiteDescriptions, DateTimeOffset now)
    {
        var suites = Directory.Exists(outRoot)
            ? Directory.GetDirectories(outRoot)
                .Where(d => File.Exists(Path.Combine(d, "index.html")))
                .Select(d => Path.GetFileName(d))
                .Order(StringComparer.Ordinal)
                .Select(name => new HtmlSiteEntry(
                    HtmlView.E(name),
                    HtmlView.E(Uri.EscapeDataString(name) + "/index.html"),
                    HtmlView.E(suiteDescriptions.GetValueOrDefault(name, "")),
                    HtmlView.E(ReportFormat.Date(File.GetLastWriteTimeUtc(Path.Combine(outRoot, name, "index.html"))))))
                .ToList()
            : new List<HtmlSiteEntry>();
        var html = _templates.Render("site.html.sbn", new HtmlSiteView("CFBench leaderboards", HtmlView.E(ReportFormat.Date(now)), suites));
        Directory.CreateDirectory(outRoot);
        return WriteAtomically(Path.Combine(outRoot, "index.html"), html);
    }

    /// <summary>Why a suite name cannot name its report folder, or null when it can.</summary>
    public static string? FolderNameProblem(string suite)
    {
        if (suite.Length == 0 || suite.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || suite is "." or ".." || suite.Contains('/'))
            return $"suite name '{suite}' cannot be used as a folder name";
        var bytes = System.Text.Encoding.UTF8.GetByteCount(suite);
        return bytes > MaxFolderNameBytes
            ? $"suite name '{suite[..40]}…' is {bytes} bytes long; it names the suite's report folder, which holds at most {MaxFolderNameBytes}"
            : null;
    }

    /// <summary>NAME_MAX of Linux file systems (and of NTFS, in UTF-16 units).</summary>
    private const int MaxFolderNameBytes = 255;

    /// <summary>Each writer renders into its own temporary file (several `cfbench report` may publish at once), then
    /// renames it over the target; the last rename wins and readers never see a half-written file.</summary>
    private static string WriteAtomically(string path, string text)
    {
        var temp = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return path;
    }
}
