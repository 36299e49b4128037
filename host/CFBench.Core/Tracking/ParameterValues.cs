using System.Globalization;
using System.Text.Json;
using CFBench.Core.Config;

namespace CFBench.Core.Tracking;

/// <summary>Hyper-parameter values as stored: a type tag (int, real, bool, text) and invariant text, so a value
/// reads back as the same kind it was (a double 1.0 stays a double).</summary>
internal static class ParameterValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static (string Type, string Text) Encode(object value) => value switch
    {
        bool b => ("bool", b ? "true" : "false"),
        sbyte or byte or short or ushort or int or uint or long => ("int", Convert.ToInt64(value, Invariant).ToString(Invariant)),
        ulong u when u <= long.MaxValue => ("int", u.ToString(Invariant)),
        float f => ("real", f.ToString("R", Invariant)),
        double d => ("real", d.ToString("R", Invariant)),
        decimal m => ("real", m.ToString(Invariant)),
        string s => ("text", s),
        long[] or double[] => ("text", JsonSerializer.Serialize(value)),
        JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False } e
            => Encode(BenchConfigLoader.ToValue(e)),
        JsonElement e => ("text", e.GetRawText()),
        _ => ("text", Convert.ToString(value, Invariant) ?? ""),
    };

    public static object Decode(string type, string text) => type switch
    {
        "int" => long.Parse(text, Invariant),
        "real" => double.Parse(text, Invariant),
        "bool" => text == "true",
        _ => text,
    };

    /// <summary>The value as shown to people and written to exports (invariant culture).</summary>
    public static string Format(object value) => Encode(value).Text;
}
