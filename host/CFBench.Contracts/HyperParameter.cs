using System.Globalization;

namespace CFBench.Contracts;

public enum ParameterKind { Int, Float, Bool, Choice, IntList, FloatList }

/// <summary>A hyper-parameter a model declares: its type, default, valid range (numbers, and list elements) or choices,
/// and what it does. Values are held as <see cref="long"/> (Int), <see cref="double"/> (Float), <see cref="bool"/>,
/// <see cref="string"/> (Choice), <c>long[]</c> (IntList) or <c>double[]</c> (FloatList).</summary>
/// <param name="MinCount">Lists: the fewest elements allowed.</param>
/// <param name="MaxCount">Lists: the most elements allowed.</param>
/// <param name="AffectsResult">False for options that change only speed (a kernel choice): they are recorded with
/// the run but left out of its key, so choosing another kernel does not re-run finished work.</param>
/// <param name="KeyOmitsDefault">Set on a parameter added to a model after runs of it were recorded: while it has its
/// default value it is left out of the run key, so existing runs keep their keys.</param>
public sealed record HyperParameter(
    string Name,
    ParameterKind Kind,
    object Default,
    string Doc,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Choices = null,
    int MinCount = 0,
    int MaxCount = int.MaxValue,
    bool AffectsResult = true,
    bool KeyOmitsDefault = false)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static HyperParameter Int(string name, long @default, string doc, long? min = null, long? max = null) =>
        new(name, ParameterKind.Int, @default, doc, min, max);

    public static HyperParameter Float(string name, double @default, string doc, double? min = null, double? max = null) =>
        new(name, ParameterKind.Float, @default, doc, min, max);

    public static HyperParameter Bool(string name, bool @default, string doc) =>
        new(name, ParameterKind.Bool, @default, doc);

    public static HyperParameter Choice(string name, string @default, string doc, params string[] choices) =>
        new(name, ParameterKind.Choice, @default, doc, Choices: choices);

    /// <summary>A list of integers, e.g. MLP layer sizes <c>[64,32,16,8]</c>; <paramref name="min"/> and
    /// <paramref name="max"/> bound every element.</summary>
    public static HyperParameter IntList(string name, long[] @default, string doc, long? min = null, long? max = null,
        int minCount = 0, int maxCount = int.MaxValue) =>
        new(name, ParameterKind.IntList, @default, doc, min, max, MinCount: minCount, MaxCount: maxCount);

    /// <summary>A list of numbers, e.g. per-layer dropout rates; <paramref name="min"/> and <paramref name="max"/>
    /// bound every element.</summary>
    public static HyperParameter FloatList(string name, double[] @default, string doc, double? min = null, double? max = null,
        int minCount = 0, int maxCount = int.MaxValue) =>
        new(name, ParameterKind.FloatList, @default, doc, min, max, MinCount: minCount, MaxCount: maxCount);

    public bool IsList => Kind is ParameterKind.IntList or ParameterKind.FloatList;

    /// <summary>Converts a value (a JSON number, string, bool or array, a CLR value, or text such as <c>[64,32]</c> or
    /// <c>64,32</c> for lists) to this parameter's type and checks its range; throws <see cref="ArgumentException"/>
    /// with a one-line message saying what is wrong.</summary>
    public object Validate(object? value)
    {
        if (IsList) return ValidateList(value);
        if (value is System.Collections.IEnumerable and not string)
            throw new ArgumentException($"parameter '{Name}': a list ({Show(value)}) where one {KindName} is expected");
        object converted;
        try
        {
            converted = Kind switch
            {
                ParameterKind.Int => ToInt(value),
                ParameterKind.Float => ToFloat(value),
                ParameterKind.Bool => value switch
                {
                    bool b => b,
                    string s => bool.Parse(s),
                    _ => throw new FormatException(),
                },
                _ => value as string ?? throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"parameter '{Name}': '{Show(value)}' is not a valid {KindName}");
        }
        CheckRange(converted, "");
        if (Kind == ParameterKind.Choice && Choices is not null && !Choices.Contains((string)converted))
            throw new ArgumentException($"parameter '{Name}': '{converted}' is not one of {string.Join(", ", Choices)}");
        return converted;
    }

    private object ValidateList(object? value)
    {
        IReadOnlyList<object?> elements = value switch
        {
            string s => SplitList(s),
            System.Collections.IEnumerable e => e.Cast<object?>().ToList(),
            _ => throw new ArgumentException($"parameter '{Name}': '{Show(value)}' is not a list (write it as [a, b, ...])"),
        };
        if (elements.Count < MinCount || elements.Count > MaxCount)
            throw new ArgumentException($"parameter '{Name}': {elements.Count} element(s), expected {CountRange()}");
        var elementKind = Kind == ParameterKind.IntList ? "integer" : "number";
        object result = Kind == ParameterKind.IntList ? new long[elements.Count] : new double[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            object converted;
            try { converted = Kind == ParameterKind.IntList ? (object)ToInt(elements[i]) : ToFloat(elements[i]); }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new ArgumentException($"parameter '{Name}': element {i} '{Show(elements[i])}' is not a valid {elementKind}");
            }
            CheckRange(converted, $"element {i} ");
            if (result is long[] longs) longs[i] = (long)converted;
            else ((double[])result)[i] = (double)converted;
        }
        return result;
    }

    private static List<object?> SplitList(string text)
    {
        var inner = text.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']')) inner = inner[1..^1];
        return inner.Trim().Length == 0
            ? new List<object?>()
            : inner.Split(',').Select(part => (object?)part.Trim()).ToList();
    }

    private static long ToInt(object? value) => value switch
    {
        double d when d == Math.Floor(d) => checked((long)d),
        float f when f == MathF.Floor(f) => checked((long)f),
        string s => long.Parse(s, Invariant),
        IConvertible c and not double and not float and not bool => c.ToInt64(Invariant),
        _ => throw new FormatException(),
    };

    private static double ToFloat(object? value) => value switch
    {
        string s => double.Parse(s, Invariant),
        IConvertible c and not bool => c.ToDouble(Invariant),
        _ => throw new FormatException(),
    };

    private void CheckRange(object converted, string what)
    {
        if (converted is long l && ((Min is { } lo && l < lo) || (Max is { } hi && l > hi)))
            throw new ArgumentException($"parameter '{Name}': {what}{l} is outside [{Min}, {Max}]");
        if (converted is double x && (double.IsNaN(x) || (Min is { } lo2 && x < lo2) || (Max is { } hi2 && x > hi2)))
            throw new ArgumentException($"parameter '{Name}': {what}{x.ToString(Invariant)} is outside [{Min}, {Max}]");
    }

    private string KindName => Kind.ToString().ToLowerInvariant();

    private string CountRange() =>
        MaxCount == int.MaxValue ? $"at least {MinCount}" : MinCount == MaxCount ? $"{MinCount}" : $"{MinCount} to {MaxCount}";

    /// <summary>A value as the user wrote it, for error messages: lists in brackets, in full.</summary>
    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, Invariant),
        _ => value.ToString() ?? "",
    };
}
