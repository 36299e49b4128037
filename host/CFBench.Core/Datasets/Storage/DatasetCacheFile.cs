using System.Runtime.InteropServices;
using System.Text;
using CFBench.Contracts;

namespace CFBench.Core.Datasets.Storage;

/// <summary>
/// The binary cache of a parsed dataset: a header (magic, version, fingerprint), the load statistics, then each
/// matrix as its shape and raw little-endian int32 CSR arrays, then the files' ids of rows and columns when the reader
/// renumbered them. A file that does not match (other fingerprint or version,
/// truncated, corrupt) is ignored and rewritten; files are written to a temporary name and renamed into place.
/// </summary>
public static class DatasetCacheFile
{
    private const string Magic = "CFBDSET";
    public const int Version = 2;

    public static void Write(string path, string fingerprint, DatasetParts parts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(BitConverter.IsLittleEndian);
                writer.Write(fingerprint);
                var s = parts.Stats;
                writer.Write(s.Users); writer.Write(s.Items); writer.Write(s.TrainInteractions); writer.Write(s.TestInteractions);
                writer.Write(s.DuplicatesDropped); writer.Write(s.UsersWithoutTest); writer.Write(s.TrainTestOverlap);
                var notes = s.Notes ?? new Dictionary<string, long>();
                writer.Write(notes.Count);
                foreach (var (key, value) in notes) { writer.Write(key); writer.Write(value); }
                WriteMatrix(writer, parts.Train);
                WriteOptional(writer, parts.Test);
                WriteOptional(writer, parts.TestNegatives);
                WriteOptional(writer, parts.ValidationUsers?.FoldIn);
                WriteOptional(writer, parts.ValidationUsers?.HeldOut);
                WriteOptional(writer, parts.TestUsers?.FoldIn);
                WriteOptional(writer, parts.TestUsers?.HeldOut);
                writer.Write(parts.Ids is not null);
                if (parts.Ids is { } ids)
                {
                    WriteIds(writer, ids.Items);
                    WriteIds(writer, ids.Users);
                    WriteIds(writer, ids.ValidationUsers);
                    WriteIds(writer, ids.TestUsers);
                }
                writer.Write(Magic);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The cached parts, or null when there is no usable cache file for this fingerprint.</summary>
    public static DatasetParts? TryRead(string path, string fingerprint)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != Version || reader.ReadBoolean() != BitConverter.IsLittleEndian
                || reader.ReadString() != fingerprint) return null;
            int users = reader.ReadInt32(), items = reader.ReadInt32();
            long train = reader.ReadInt64(), test = reader.ReadInt64(), duplicates = reader.ReadInt64(),
                withoutTest = reader.ReadInt64(), overlap = reader.ReadInt64();
            int noteCount = reader.ReadInt32();
            var notes = new Dictionary<string, long>(noteCount);
            for (int n = 0; n < noteCount; n++) notes[reader.ReadString()] = reader.ReadInt64();
            var trainMatrix = ReadMatrix(reader);
            var testMatrix = ReadOptional(reader);
            var negatives = ReadOptional(reader);
            var validationFoldIn = ReadOptional(reader);
            var validationHeldOut = ReadOptional(reader);
            var testFoldIn = ReadOptional(reader);
            var testHeldOut = ReadOptional(reader);
            SourceIds? ids = reader.ReadBoolean()
                ? new SourceIds(ReadIds(reader)!, ReadIds(reader)!, ReadIds(reader), ReadIds(reader))
                : null;
            if (reader.ReadString() != Magic) return null;
            var stats = new DatasetLoadStats(users, items, train, test, duplicates, withoutTest, overlap, notes);
            return new DatasetParts(trainMatrix, testMatrix, negatives,
                validationFoldIn is null ? null : new HeldOutUsers(validationFoldIn, validationHeldOut!),
                testFoldIn is null ? null : new HeldOutUsers(testFoldIn, testHeldOut!),
                stats) { Ids = ids };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or OverflowException or OutOfMemoryException)
        {
            return null;
        }
    }

    private static void WriteOptional(BinaryWriter writer, InteractionMatrix? matrix)
    {
        writer.Write(matrix is not null);
        if (matrix is not null) WriteMatrix(writer, matrix);
    }

    private static void WriteMatrix(BinaryWriter writer, InteractionMatrix matrix)
    {
        writer.Write(matrix.Rows);
        writer.Write(matrix.Columns);
        writer.Write(matrix.Count);
        writer.Write(MemoryMarshal.AsBytes(matrix.RowOffsets));
        writer.Write(MemoryMarshal.AsBytes(matrix.ColumnIndices));
    }

    private static InteractionMatrix? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? ReadMatrix(reader) : null;

    /// <summary>A count (-1: none) and the ids.</summary>
    private static void WriteIds(BinaryWriter writer, string[]? ids)
    {
        writer.Write(ids?.Length ?? -1);
        foreach (var id in ids ?? Array.Empty<string>()) writer.Write(id);
    }

    private static string[]? ReadIds(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < -1) throw new ArgumentException("negative id count");
        if (count == -1) return null;
        var ids = new string[count];
        for (int i = 0; i < count; i++) ids[i] = reader.ReadString();
        return ids;
    }

    private static InteractionMatrix ReadMatrix(BinaryReader reader)
    {
        int rows = reader.ReadInt32(), columns = reader.ReadInt32(), count = reader.ReadInt32();
        if (rows < 0 || columns < 0 || count < 0) throw new ArgumentException("negative matrix shape");
        var offsets = new int[rows + 1];
        var indices = new int[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(offsets.AsSpan()));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(indices.AsSpan()));
        return new InteractionMatrix(rows, columns, offsets, indices);
    }
}
