namespace CFBench.Core;

/// <summary>Errors are shown and stored as one line. Native (libtorch) exceptions carry their C++ stack frames after
/// the first line of the message; only that first line says what went wrong. A TorchScript failure is the exception:
/// its first line is a fixed header and the cause is the "SomethingError: ..." line after the script traceback.</summary>
public static class ErrorText
{
    private const string TorchScriptHeader = "The following operation failed in the TorchScript interpreter.";

    public static string FirstLine(string message)
    {
        var lines = message.Split('\n');
        if (lines[0].TrimEnd() == TorchScriptHeader
            && lines.Skip(1).Select(l => l.Trim()).FirstOrDefault(IsPythonStyleError) is { } cause)
            return Printable($"TorchScript: {cause}");
        return Printable(lines[0].TrimEnd());
    }

    /// <summary>The text with every control character (ESC of a terminal escape sequence, BEL, CR, C1 controls)
    /// shown as <c>\uXXXX</c>, a tab as a space: text from a plugin or a file then cannot move the cursor, recolour
    /// or retitle the terminal it is printed on. <see cref="FirstLine"/> applies it.</summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var printable = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c == '\t') printable.Append(' ');
            else if (char.IsControl(c)) printable.Append($"\\u{(int)c:x4}");
            else printable.Append(c);
        }
        return printable.ToString();
    }

    private static bool IsPythonStyleError(string line)
    {
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line[..colon].EndsWith("Error", StringComparison.Ordinal) && !line[..colon].Contains(' ');
    }
}
