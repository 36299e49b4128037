namespace CFBench.Core;

/// <summary>Errors are shown and stored as one line. Native (libtorch) exceptions carry their C++ stack frames after
/// the first line of the message; only that first line says what went wrong.</summary>
public static class ErrorText
{
    public static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();
}
