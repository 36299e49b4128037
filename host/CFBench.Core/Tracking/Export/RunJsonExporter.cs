using System.Text.Json;

namespace CFBench.Core.Tracking.Export;

/// <summary>Writes runs as a JSON array of <see cref="RunRecord"/>s (camelCase, enums by name, hyper-parameters
/// keeping their kind) and reads such a file back.</summary>
public static class RunJsonExporter
{
    public static void Write(IReadOnlyList<RunRecord> runs, Stream output) =>
        JsonSerializer.Serialize(output, runs, TrackingJson.Indented);

    public static IReadOnlyList<RunRecord> Read(Stream input)
    {
        try
        {
            return JsonSerializer.Deserialize<List<RunRecord>>(input, TrackingJson.Options)
                ?? throw new InvalidDataException("runs JSON: null document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"runs JSON: {e.Path}: {e.Message.Split('\n')[0]}", e);
        }
    }
}
