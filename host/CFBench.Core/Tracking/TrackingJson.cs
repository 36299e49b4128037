using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CFBench.Core.Tracking;

/// <summary>JSON settings for what the store keeps as JSON (protocol options, checksums) and for exports:
/// camelCase, enums by name, hyper-parameter values keeping their kind.</summary>
public static class TrackingJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new ParameterValueJsonConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Writes a hyper-parameter value as a JSON number, string or bool; a real number always carries a
/// decimal point or exponent so it reads back as a double, an integer reads back as a long.</summary>
internal sealed class ParameterValueJsonConverter : JsonConverter<object>
{
    public override object Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.String: return reader.GetString()!;
            case JsonTokenType.Number:
                var raw = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && reader.TryGetInt64(out var l)) return l;
                return reader.GetDouble();
            default:
                using (var doc = JsonDocument.ParseValue(ref reader)) return doc.RootElement.GetRawText();
        }
    }

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        var (type, text) = ParameterValues.Encode(value);
        switch (type)
        {
            case "bool": writer.WriteBooleanValue(text == "true"); break;
            case "int": writer.WriteRawValue(text); break;
            case "real":
                var d = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                if (!double.IsFinite(d)) writer.WriteStringValue(text);
                else writer.WriteRawValue(text.IndexOfAny(['.', 'e', 'E']) < 0 ? text + ".0" : text);
                break;
            default: writer.WriteStringValue(text); break;
        }
    }
}
