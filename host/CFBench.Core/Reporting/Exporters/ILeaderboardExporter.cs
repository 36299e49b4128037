namespace CFBench.Core.Reporting.Exporters;

/// <summary>Writes a <see cref="Leaderboard"/> in one format. Exporters only format; every number comes from the model.</summary>
public interface ILeaderboardExporter
{
    /// <summary>Format name on the command line, e.g. <c>html</c>.</summary>
    string Format { get; }

    /// <summary>File name the suite's report is written to, e.g. <c>index.html</c>.</summary>
    string FileName { get; }

    void Export(Leaderboard board, TextWriter output);
}
