using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CFBench.Core.Config;

/// <summary>
/// A <see cref="JsonException"/> from reading bench.json or a dataset card as one line a user can act on: line and
/// column (1-based), the JSON path, and for a key that maps to nothing, the key and the keys that are allowed there
/// (never a .NET type name).
/// </summary>
public static class JsonErrorText
{
    private const string Unmapped = "could not be mapped to any .NET member contained in type '";

    /// <summary><c>file:line:column: what is wrong</c>.</summary>
    public static string Describe(string file, JsonException e) =>
        e.LineNumber is { } line ? $"{file}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}: {Detail(e)}" : $"{file}: {Detail(e)}";

    /// <summary><c>line L, column C</c> (1-based), or <c>end of file</c> when the reader gives no position.</summary>
    public static string Location(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "end of file";

    /// <summary>The JSON path and the problem; for a key that maps to nothing, the key and the keys allowed there.</summary>
    public static string Detail(JsonException e)
    {
        var path = e.Path is { Length: > 0 } p ? p : "$";
        var message = e.Message;
        int typeStart = message.IndexOf(Unmapped, StringComparison.Ordinal);
        if (typeStart >= 0 && KeyOf(message) is { } key)
        {
            var typeName = message[(typeStart + Unmapped.Length)..];
            typeName = typeName[..Math.Max(0, typeName.IndexOf('\''))];
            var parent = path.EndsWith("." + key, StringComparison.Ordinal) ? path[..^(key.Length + 1)] : path;
            var known = KnownKeys(typeName);
            return $"unknown key '{key}' in {parent}" + (known.Count > 0 ? $" (known keys: {string.Join(", ", known)})" : "");
        }
        return $"{path}: {FirstSentence(message)}";
    }

    private static string? KeyOf(string message)
    {
        const string start = "The JSON property '";
        int i = message.IndexOf(start, StringComparison.Ordinal);
        if (i < 0) return null;
        int end = message.IndexOf('\'', i + start.Length);
        return end < 0 ? null : message[(i + start.Length)..end];
    }

    private static IReadOnlyList<string> KnownKeys(string typeName)
    {
        var type = typeof(JsonErrorText).Assembly.GetType(typeName);
        if (type is null) return Array.Empty<string>();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.CanWrite)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToList();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).Trim();
        // System.Text.Json's reader messages end with "LineNumber: n | BytePositionInLine: m." (shown as line:column).
        int position = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position > 0 ? text[..position] : text).Trim().TrimEnd('.');
    }
}
