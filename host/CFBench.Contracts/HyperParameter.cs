namespace CFBench.Contracts;

public enum ParameterKind { Int, Float, Bool, Choice }

/// <summary>A hyper-parameter a model declares: its type, default, valid range (numbers) or choices, and what it does.
/// Values are held as <see cref="long"/> (Int), <see cref="double"/> (Float), <see cref="bool"/> or <see cref="string"/> (Choice).</summary>
public sealed record HyperParameter(
    string Name,
    ParameterKind Kind,
    object Default,
    string Doc,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Choices = null)
{
    public static HyperParameter Int(string name, long @default, string doc, long? min = null, long? max = null) =>
        new(name, ParameterKind.Int, @default, doc, min, max);

    public static HyperParameter Float(string name, double @default, string doc, double? min = null, double? max = null) =>
        new(name, ParameterKind.Float, @default, doc, min, max);

    public static HyperParameter Bool(string name, bool @default, string doc) =>
        new(name, ParameterKind.Bool, @default, doc);

    public static HyperParameter Choice(string name, string @default, string doc, params string[] choices) =>
        new(name, ParameterKind.Choice, @default, doc, Choices: choices);

    /// <summary>Converts a value (a JSON number, string or bool, or a CLR value) to this parameter's type and checks
    /// its range; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public object Validate(object? value)
    {
        object converted;
        try
        {
            converted = Kind switch
            {
                ParameterKind.Int => value switch
                {
                    double d when d == Math.Floor(d) => (long)d,
                    float f when f == MathF.Floor(f) => (long)f,
                    string s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
                    IConvertible c and not double and not float and not bool => c.ToInt64(System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw new FormatException(),
                },
                ParameterKind.Float => value switch
                {
                    string s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
                    IConvertible c and not bool => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw new FormatException(),
                },
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
            throw new ArgumentException($"parameter '{Name}': '{value}' is not a valid {Kind.ToString().ToLowerInvariant()}");
        }
        if (converted is long l && ((Min is { } lo && l < lo) || (Max is { } hi && l > hi)))
            throw new ArgumentException($"parameter '{Name}': {l} is outside [{Min}, {Max}]");
        if (converted is double x && (double.IsNaN(x) || (Min is { } lo2 && x < lo2) || (Max is { } hi2 && x > hi2)))
            throw new ArgumentException($"parameter '{Name}': {x} is outside [{Min}, {Max}]");
        if (Kind == ParameterKind.Choice && Choices is not null && !Choices.Contains((string)converted))
            throw new ArgumentException($"parameter '{Name}': '{converted}' is not one of {string.Join(", ", Choices)}");
        return converted;
    }
}
