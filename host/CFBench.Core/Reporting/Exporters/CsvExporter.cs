using System.Globalization;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>The tables in long form (one line per dataset × variant × metric column) at full precision, RFC 4180 quoting.</summary>
public sealed class CsvExporter : ILeaderboardExporter
{
    public string Format => "csv";
    public string FileName => "index.csv";

    public static readonly string[] Header =
    {
        "suite", "dataset", "variant", "column", "mean", "std", "n", "rank", "relative_to_baseline",
        "versus", "users", "t_p", "t_p_holm", "wilcoxon_p", "wilcoxon_p_holm", "significant",
        "reference", "reference_delta", "outside_tolerance", "selection_on_test", "run_ids",
    };

    public void Export(Leaderboard board, TextWriter output)
    {
        output.WriteLine(string.Join(",", Header));
        foreach (var d in board.Datasets)
            foreach (var row in d.Rows)
                foreach (var cell in row.Cells)
                {
                    if (cell is null) continue;
                    var s = cell.Significance;
                    var r = cell.Reference;
                    output.WriteLine(string.Join(",", new[]
                    {
                        Quote(board.Suite), Quote(d.Dataset), Quote(row.Label), Quote(cell.Column),
                        Num(cell.Mean), Num(cell.Std), cell.N.ToString(CultureInfo.InvariantCulture),
                        cell.Rank.ToString().ToLowerInvariant(), Num(cell.RelativeToBaseline),
                        Quote(s?.Against ?? ""), s?.Users.ToString(CultureInfo.InvariantCulture) ?? "",
                        Num(s?.TTestP), Num(s?.TTestPHolm), Num(s?.WilcoxonP), Num(s?.WilcoxonPHolm),
                        s is null ? "" : s.Significant ? "true" : "false",
                        Num(r?.Value), Num(r?.Delta), r is null ? "" : r.OutsideTolerance ? "true" : "false",
                        cell.SelectedOnTest ? "true" : "false",
                        string.Join(" ", cell.RunIds),
                    }));
                }
    }

    private static string Num(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    private static string Quote(string s)
    {
        if (s.Length > 0 && "=+-@".Contains(s[0])) s = "'" + s;
        return s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
