using System.Buffers.Text;

namespace CFBench.Core.Datasets.Parsing;

/// <summary>
/// Reads an ASCII text file line by line as byte spans (no string per line), counting lines so that every problem
/// can be reported as <c>file:line: what is wrong</c>. Accepts <c>\n</c> and <c>\r\n</c> endings.
/// </summary>
public sealed class LineReader : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start, _end;
    private bool _eof;

    public LineReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    }

    public string Path { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Trim(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    line = Trim(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    LineNumber++;
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    private static ReadOnlySpan<byte> Trim(Span<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        int remaining = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
            _start = 0;
            _end = remaining;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <summary>A one-line error at the current line.</summary>
    public DatasetException Error(string what) => new($"{Path}:{LineNumber}: {what}");

    public int ParseInt(ReadOnlySpan<byte> field, string what)
    {
        if (Utf8Parser.TryParse(field, out int value, out int consumed) && consumed == field.Length) return value;
        throw Error($"{what} '{Shown(field)}' is not an integer");
    }

    public long ParseLong(ReadOnlySpan<byte> field, string what)
    {
        if (Utf8Parser.TryParse(field, out long value, out int consumed) && consumed == field.Length) return value;
        throw Error($"{what} '{Shown(field)}' is not an integer");
    }

    public double ParseDouble(ReadOnlySpan<byte> field, string what)
    {
        if (Utf8Parser.TryParse(field, out double value, out int consumed) && consumed == field.Length && double.IsFinite(value)) return value;
        throw Error($"{what} '{Shown(field)}' is not a number");
    }

    /// <summary>A field as it may appear in a message: printable ASCII, at most 40 characters.</summary>
    public static string Shown(ReadOnlySpan<byte> field)
    {
        var shown = field.Length > 40 ? field[..40] : field;
        var chars = new char[shown.Length];
        for (int i = 0; i < shown.Length; i++) chars[i] = shown[i] is >= 32 and < 127 ? (char)shown[i] : '?';
        return new string(chars) + (field.Length > 40 ? "..." : "");
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>Splits a line into fields on a separator; <c>Whitespace</c> treats any run of spaces/tabs as one.</summary>
public ref struct FieldSplitter
{
    private ReadOnlySpan<byte> _rest;
    private readonly ReadOnlySpan<byte> _separator;
    private readonly bool _whitespace;
    private bool _done;

    public FieldSplitter(ReadOnlySpan<byte> line, ReadOnlySpan<byte> separator)
    {
        _rest = line;
        _separator = separator;
        _whitespace = separator.IsEmpty;
        if (_whitespace) _rest = TrimStart(line);
        _done = _whitespace && _rest.IsEmpty;
    }

    /// <summary>Splits on runs of spaces and tabs, ignoring leading and trailing ones.</summary>
    public static FieldSplitter Whitespace(ReadOnlySpan<byte> line) => new(line, ReadOnlySpan<byte>.Empty);

    public bool TryNext(out ReadOnlySpan<byte> field)
    {
        if (_done) { field = default; return false; }
        if (_whitespace)
        {
            int end = _rest.IndexOfAny((byte)' ', (byte)'\t');
            if (end < 0) { field = _rest; _done = true; return true; }
            field = _rest[..end];
            _rest = TrimStart(_rest[end..]);
            _done = _rest.IsEmpty;
            return true;
        }
        int at = _rest.IndexOf(_separator);
        if (at < 0) { field = _rest; _done = true; return true; }
        field = _rest[..at];
        _rest = _rest[(at + _separator.Length)..];
        return true;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == (byte)' ' || s[i] == (byte)'\t')) i++;
        return s[i..];
    }
}
