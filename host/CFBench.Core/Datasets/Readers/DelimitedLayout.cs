using System.Text.Json.Nodes;

namespace CFBench.Core.Datasets.Readers;

/// <summary>
/// How the lines of a delimited file are laid out (the card's <c>layout</c> object, format <c>delimited</c>):
/// <c>separator</c> (a string such as <c>"\t"</c> or <c>","</c>, or <c>"whitespace"</c> for runs of spaces and tabs),
/// <c>header</c> (skip the first line), <c>firstId</c> (0, or 1 for 1-based ids) and <c>columns</c>, the meaning of
/// each field in order: <c>user</c>, <c>item</c>, and optionally <c>rating</c> (a rating or a weight such as
/// <c>3.2466e+05</c>) and <c>timestamp</c>; <c>"-"</c> skips a field.
/// </summary>
public sealed record DelimitedLayout
{
    public const string Whitespace = "whitespace";
    public const string User = "user", Item = "item", Rating = "rating", Timestamp = "timestamp", Skip = "-";

    public string Separator { get; init; } = "\t";
    public bool Header { get; init; }
    public int FirstId { get; init; }
    public IReadOnlyList<string> Columns { get; init; } = new[] { User, Item, Rating, Timestamp };

    private static readonly string[] Keys = { "separator", "header", "firstId", "columns" };
    private static readonly string[] ColumnNames = { User, Item, Rating, Timestamp, Skip };

    public bool HasRating => Columns.Contains(Rating);
    public bool HasTimestamp => Columns.Contains(Timestamp);

    /// <summary>The separator as written in messages: <c>&lt;TAB&gt;</c> for a tab.</summary>
    public string ReadableSeparator => Separator switch { "\t" => "<TAB>", Whitespace => " ", _ => Separator };

    /// <summary>The layout a MovieLens file name implies: <c>.csv</c> comma with a header, <c>.dat</c> <c>::</c>,
    /// otherwise tab; user, item, rating, timestamp.</summary>
    public static DelimitedLayout OfMovieLens(string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? new DelimitedLayout { Separator = ",", Header = true }
        : fileName.EndsWith(".dat", StringComparison.OrdinalIgnoreCase) ? new DelimitedLayout { Separator = "::" }
        : new DelimitedLayout();

    public static DelimitedLayout Parse(JsonObject? json, string datasetName)
    {
        string Fail(string what) => throw new DatasetException($"dataset '{datasetName}': layout: {what}");
        if (json is null) Fail("a delimited card needs a 'layout' object (separator, header, firstId, columns)");
        foreach (var (key, _) in json!)
            if (!Keys.Contains(key)) Fail($"unknown key '{key}' (known: {string.Join(", ", Keys)})");
        DelimitedLayout layout;
        try
        {
            layout = new DelimitedLayout
            {
                Separator = json["separator"]?.GetValue<string>() ?? "\t",
                Header = json["header"]?.GetValue<bool>() ?? false,
                FirstId = json["firstId"]?.GetValue<int>() ?? 0,
                Columns = json["columns"] switch
                {
                    JsonArray columns => columns.Select(c => c?.GetValue<string>() ?? Fail("a column is null")).ToList(),
                    null => new[] { Fail("no 'columns' (e.g. [\"user\", \"item\", \"rating\"])") },
                    _ => new[] { Fail("'columns' is not an array") },
                },
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new DatasetException($"dataset '{datasetName}': layout: {e.Message}");
        }
        return layout.Check(datasetName);
    }

    /// <summary>Throws <see cref="DatasetException"/> unless the layout is usable.</summary>
    public DelimitedLayout Check(string datasetName)
    {
        string Fail(string what) => throw new DatasetException($"dataset '{datasetName}': layout: {what}");
        if (Separator.Length == 0) Fail("the separator is empty");
        if (FirstId is not (0 or 1)) Fail($"firstId {FirstId} is not 0 or 1");
        foreach (var c in Columns)
            if (!ColumnNames.Contains(c)) Fail($"unknown column '{c}' (known: {string.Join(", ", ColumnNames)})");
        foreach (var c in new[] { User, Item })
            if (Columns.Count(x => x == c) != 1) Fail($"the columns name '{c}' {Columns.Count(x => x == c)} times; it must appear once");
        foreach (var c in new[] { Rating, Timestamp })
            if (Columns.Count(x => x == c) > 1) Fail($"the columns name '{c}' more than once");
        return this;
    }

    /// <summary>The layout as it is written into a card.</summary>
    public JsonObject ToJson() => new()
    {
        ["separator"] = Separator,
        ["header"] = Header,
        ["firstId"] = FirstId,
        ["columns"] = new JsonArray(Columns.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
    };
}
