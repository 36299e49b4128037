using System.Text.Json.Nodes;

namespace CFBench.Core.Datasets.Splits;

/// <summary>
/// A raw log's declared split (the card's <c>split</c> object). <c>type</c> is one of <c>none</c> (everything is
/// training data), <c>strong-generalization</c>, <c>random-ratio</c>, <c>leave-latest-one-out</c>, or
/// <c>given</c> (delimited cards: the split as published in the <see cref="Train"/> and <see cref="Test"/> files). Random draws use
/// <see cref="SeededRandom"/> with <see cref="Seed"/>, not numpy's stream.
/// </summary>
public sealed record SplitDeclaration
{
    public const string None = "none";
    public const string StrongGeneralization = "strong-generalization";
    public const string RandomRatio = "random-ratio";
    public const string LeaveLatestOneOut = "leave-latest-one-out";
    public const string Given = "given";

    public string Type { get; init; } = None;
    public long Seed { get; init; } = 98765;
    /// <summary>Strong generalization: users held out for validation and for test.</summary>
    public int ValidationUsers { get; init; }
    public int TestUsers { get; init; }
    /// <summary>Share of a held-out user's items that are graded (strong generalization), or of each user's items
    /// that go to test (random ratio).</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Strong generalization: held-out users with fewer items keep them all as fold-in (the notebook's 5).</summary>
    public int MinItemsToSplit { get; init; } = 5;
    /// <summary>Given split: the card's train and test files.</summary>
    public string? Train { get; init; }
    public string? Test { get; init; }

    private static readonly Dictionary<string, string[]> KeysOf = new()
    {
        [None] = new[] { "type" },
        [StrongGeneralization] = new[] { "type", "seed", "validationUsers", "testUsers", "testFraction", "minItemsToSplit" },
        [RandomRatio] = new[] { "type", "seed", "testFraction" },
        [LeaveLatestOneOut] = new[] { "type" },
        [Given] = new[] { "type", "train", "test" },
    };

    public static SplitDeclaration Parse(JsonObject? json, string datasetName)
    {
        if (json is null) return new SplitDeclaration();
        string Fail(string what) => throw new DatasetException($"dataset '{datasetName}': split: {what}");
        string type;
        try { type = json["type"]?.GetValue<string>() ?? Fail("no 'type'"); }
        catch (InvalidOperationException) { type = Fail("'type' is not a string"); }
        var keys = KeysOf.GetValueOrDefault(type) ?? throw new DatasetException(
            $"dataset '{datasetName}': split: unknown type '{type}' (known: {string.Join(", ", KeysOf.Keys)})");
        foreach (var (key, _) in json)
            if (!keys.Contains(key)) Fail($"'{key}' does not apply to type '{type}' (allowed: {string.Join(", ", keys)})");
        SplitDeclaration split;
        try
        {
            split = new SplitDeclaration
            {
                Type = type,
                Seed = json["seed"]?.GetValue<long>() ?? 98765,
                ValidationUsers = json["validationUsers"]?.GetValue<int>() ?? 0,
                TestUsers = json["testUsers"]?.GetValue<int>() ?? 0,
                TestFraction = json["testFraction"]?.GetValue<double>() ?? 0.2,
                MinItemsToSplit = json["minItemsToSplit"]?.GetValue<int>() ?? 5,
                Train = json["train"]?.GetValue<string>(),
                Test = json["test"]?.GetValue<string>(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new DatasetException($"dataset '{datasetName}': split: {e.Message}");
        }
        if (split.TestFraction is <= 0 or >= 1) Fail($"testFraction {split.TestFraction} is not in (0, 1)");
        if (split.ValidationUsers < 0 || split.TestUsers < 0) Fail("held-out user counts must not be negative");
        if (type == StrongGeneralization && split.TestUsers == 0) Fail("strong-generalization needs testUsers > 0");
        if (type == Given && (string.IsNullOrEmpty(split.Train) || string.IsNullOrEmpty(split.Test) || split.Train == split.Test))
            Fail("a given split names two different files, 'train' and 'test'");
        return split;
    }
}
