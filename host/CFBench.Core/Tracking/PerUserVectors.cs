using System.IO.Compression;
using System.Text;

namespace CFBench.Core.Tracking;

/// <summary>
/// The compact form of a test evaluation's per-user values, stored as one blob: magic <c>CFPU</c>, a format byte,
/// then a zlib stream of: user count n, column count c, the n user ids (int32), and per column its name and n
/// float32 values. Little-endian throughout.
/// </summary>
public static class PerUserVectors
{
    private static readonly byte[] Magic = "CFPU"u8.ToArray();
    private const byte Format = 1;

    public static byte[] Encode(int[] users, IReadOnlyDictionary<string, float[]> columns)
    {
        foreach (var (name, values) in columns)
            if (values.Length != users.Length)
                throw new ArgumentException($"per-user column '{name}' has {values.Length} values for {users.Length} users");
        using var output = new MemoryStream();
        output.Write(Magic);
        output.WriteByte(Format);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new BinaryWriter(zlib, Encoding.UTF8))
        {
            writer.Write(users.Length);
            writer.Write(columns.Count);
            foreach (var u in users) writer.Write(u);
            foreach (var (name, values) in columns.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
                foreach (var v in values) writer.Write(v);
            }
        }
        return output.ToArray();
    }

    public static (int[] Users, Dictionary<string, float[]> Columns) Decode(byte[] blob)
    {
        if (blob.Length < Magic.Length + 1 || !blob.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("per-user blob: bad magic");
        if (blob[Magic.Length] != Format)
            throw new InvalidDataException($"per-user blob: unknown format {blob[Magic.Length]}");
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(blob, Magic.Length + 1, blob.Length - Magic.Length - 1), CompressionMode.Decompress);
            using var reader = new BinaryReader(zlib, Encoding.UTF8);
            int n = reader.ReadInt32(), c = reader.ReadInt32();
            if (n < 0 || c < 0) throw new InvalidDataException("per-user blob: negative size");
            var users = new int[n];
            for (int i = 0; i < n; i++) users[i] = reader.ReadInt32();
            var columns = new Dictionary<string, float[]>(c);
            for (int j = 0; j < c; j++)
            {
                var name = reader.ReadString();
                var values = new float[n];
                for (int i = 0; i < n; i++) values[i] = reader.ReadSingle();
                columns[name] = values;
            }
            return (users, columns);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("per-user blob: truncated");
        }
    }
}
