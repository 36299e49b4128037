namespace CFBench.Core.Reporting.Exporters;

/// <summary>The leaderboard as one self-contained HTML page (inline CSS and SVG, no script) rendered from the
/// Scriban template <c>suite.html.sbn</c>.</summary>
public sealed class HtmlExporter(ReportTemplates templates) : ILeaderboardExporter
{
    public const string TemplateName = "suite.html.sbn";

    public HtmlExporter() : this(ReportTemplates.Embedded) { }

    public string Format => "html";
    public string FileName => "index.html";

    public void Export(Leaderboard board, TextWriter output) => output.Write(templates.Render(TemplateName, HtmlView.From(board)));
}
