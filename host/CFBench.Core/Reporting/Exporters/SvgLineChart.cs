using System.Globalization;
using System.Net;
using System.Text;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>
/// A static line chart as inline SVG markup (no script, no external resources): one polyline per curve, axes with
/// tick labels, a legend, and a <c>title</c> tooltip on every point. All text is HTML-escaped.
/// </summary>
public static class SvgLineChart
{
    public static readonly string[] Palette =
        { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B" };

    private const int Width = 560, PlotLeft = 56, PlotTop = 28, PlotWidth = 330, PlotHeight = 200, LegendLeft = 400;

    public static string Render(string title, string yLabel, IReadOnlyList<Curve> curves)
    {
        var drawn = curves.Where(c => c.Points.Count > 0).ToList();
        int legendHeight = curves.Count * 18 + PlotTop + 8;
        int height = Math.Max(PlotTop + PlotHeight + 44, legendHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{E(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{PlotLeft}\" y=\"16\" class=\"chart-title\">{E(title)}</text>");
        if (drawn.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{PlotLeft}\" y=\"{PlotTop + 20}\">no data recorded</text></svg>");
            return svg.ToString();
        }

        double xMin = drawn.Min(c => c.Points.Min(p => p.Epoch)), xMax = drawn.Max(c => c.Points.Max(p => p.Epoch));
        double yMin = drawn.Min(c => c.Points.Min(p => p.Value)), yMax = drawn.Max(c => c.Points.Max(p => p.Value));
        if (xMax == xMin) { xMin -= 1; xMax += 1; }
        if (yMax == yMin) { var pad = Math.Abs(yMax) * 0.05 + 1e-6; yMin -= pad; yMax += pad; }
        double X(double x) => PlotLeft + (x - xMin) / (xMax - xMin) * PlotWidth;
        double Y(double y) => PlotTop + PlotHeight - (y - yMin) / (yMax - yMin) * PlotHeight;

        // Axes and ticks.
        svg.Append(F($"<rect x=\"{PlotLeft}\" y=\"{PlotTop}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"#999\"/>"));
        for (int i = 0; i <= 4; i++)
        {
            double v = yMin + (yMax - yMin) * i / 4, y = Y(v);
            svg.Append(F($"<line x1=\"{PlotLeft}\" x2=\"{PlotLeft + PlotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>"));
            svg.Append(F($"<text x=\"{PlotLeft - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{Tick(v, yMax - yMin)}</text>"));
        }
        foreach (var epoch in XTicks((int)xMin, (int)xMax))
            svg.Append(F($"<text x=\"{X(epoch):0.#}\" y=\"{PlotTop + PlotHeight + 16}\" text-anchor=\"middle\" class=\"tick\">{epoch}</text>"));
        svg.Append(F($"<text x=\"{PlotLeft + PlotWidth / 2}\" y=\"{PlotTop + PlotHeight + 34}\" text-anchor=\"middle\" class=\"axis\">epoch</text>"));
        svg.Append(F($"<text x=\"14\" y=\"{PlotTop + PlotHeight / 2}\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 14 {PlotTop + PlotHeight / 2})\">")).Append(E(yLabel)).Append("</text>");

        for (int c = 0; c < curves.Count; c++)
        {
            var curve = curves[c];
            var color = Palette[c % Palette.Length];
            var dash = c >= Palette.Length ? " stroke-dasharray=\"5 3\"" : "";
            if (curve.Points.Count > 0)
            {
                var points = string.Join(" ", curve.Points.Select(p => F($"{X(p.Epoch):0.#},{Y(p.Value):0.#}")));
                svg.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{points}\"><title>{E(curve.Label)}</title></polyline>"));
                if (curve.Points.Count <= 60)
                    foreach (var p in curve.Points)
                        svg.Append(F($"<circle cx=\"{X(p.Epoch):0.#}\" cy=\"{Y(p.Value):0.#}\" r=\"2.5\" fill=\"{color}\"><title>{E(curve.Label)}, epoch {p.Epoch}: {p.Value:0.#####}</title></circle>"));
            }
            int ly = PlotTop + 8 + c * 18;
            svg.Append(F($"<line x1=\"{LegendLeft}\" x2=\"{LegendLeft + 18}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>"));
            svg.Append(F($"<text x=\"{LegendLeft + 24}\" y=\"{ly + 4}\" class=\"legend\">")).Append(E(Shorten(curve.Label))).Append(curve.Points.Count == 0 ? " (none)" : "").Append("</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Shorten(string label) => label.Length <= 22 ? label : label[..21] + "…";

    private static string Tick(double v, double range) =>
        v.ToString(range >= 10 ? "0" : range >= 1 ? "0.0" : range >= 0.1 ? "0.00" : range >= 0.01 ? "0.000" : "0.0000", CultureInfo.InvariantCulture);

    private static IEnumerable<int> XTicks(int min, int max)
    {
        int span = Math.Max(1, max - min), step = 1;
        foreach (var s in new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 })
        {
            step = s;
            if (span / s <= 8) break;
        }
        int first = (min + step - 1) / step * step;
        for (int e = first; e <= max; e += step) yield return e;
    }
}
