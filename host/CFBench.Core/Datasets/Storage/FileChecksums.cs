using System.Security.Cryptography;

namespace CFBench.Core.Datasets.Storage;

/// <summary>Checksums of one file on disk: SHA-256 always, MD5 when asked for (cards that only have a published MD5).</summary>
public sealed record FileHashes(string Sha256, string? Md5, long Bytes);

/// <summary>The outcome of comparing a file with its card's checksum.</summary>
public enum ChecksumStatus { Ok, Mismatch, NotDeclared }

public sealed record ChecksumCheck(ChecksumStatus Status, string Algorithm, string? Expected, string Actual, FileHashes Hashes);

/// <summary>Hashing and checking of dataset files against <see cref="DatasetFile"/> declarations.</summary>
public static class FileChecksums
{
    public static FileHashes Compute(string path, bool withMd5)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = withMd5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        long bytes = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            md5?.AppendData(buffer, 0, read);
            bytes += read;
        }
        return new FileHashes(Convert.ToHexStringLower(sha.GetHashAndReset()),
            md5 is null ? null : Convert.ToHexStringLower(md5.GetHashAndReset()), bytes);
    }

    /// <summary>Hashes <paramref name="path"/> and compares it with the declaration: SHA-256 when the card has one,
    /// else MD5.</summary>
    public static ChecksumCheck Check(DatasetFile? declared, string path)
    {
        bool useMd5 = declared is { Sha256: null or "", Md5.Length: > 0 };
        var hashes = Compute(path, useMd5);
        if (declared is { Sha256.Length: > 0 } d)
            return new ChecksumCheck(Same(d.Sha256, hashes.Sha256) ? ChecksumStatus.Ok : ChecksumStatus.Mismatch, "SHA-256", d.Sha256, hashes.Sha256, hashes);
        if (useMd5)
            return new ChecksumCheck(Same(declared!.Md5!, hashes.Md5!) ? ChecksumStatus.Ok : ChecksumStatus.Mismatch, "MD5", declared.Md5, hashes.Md5!, hashes);
        return new ChecksumCheck(ChecksumStatus.NotDeclared, "SHA-256", null, hashes.Sha256, hashes);
    }

    /// <summary>Like <see cref="Check"/>, throwing a one-line <see cref="DatasetException"/> on a mismatch.</summary>
    public static FileHashes Verify(DatasetFile? declared, string path)
    {
        var check = Check(declared, path);
        if (check.Status == ChecksumStatus.Mismatch)
            throw new DatasetException($"{path}: {check.Algorithm} mismatch: expected {check.Expected}, actual {check.Actual}");
        return check.Hashes;
    }

    private static bool Same(string expected, string actual) => string.Equals(expected.Trim(), actual, StringComparison.OrdinalIgnoreCase);
}
