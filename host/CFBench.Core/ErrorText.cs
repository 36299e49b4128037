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
            return $"TorchScript: {cause}";
        return lines[0].TrimEnd();
    }

    private static bool IsPythonStyleError(string line)
    {
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line[..colon].EndsWith("Error", StringComparison.Ordinal) && !line[..colon].Contains(' ');
    }
}
