using CFBench.Core.Tracking;

namespace CFBench.Tests.Tracking;

public class PerUserVectorsTests
{
    [Fact]
    public void RoundTripsUsersAndColumnsCompactly()
    {
        var random = new Random(7);
        var users = Enumerable.Range(0, 5000).Select(u => u * 2 + 1).ToArray();
        var columns = new Dictionary<string, float[]>
        {
            ["recall@20"] = users.Select(_ => random.Next(0, 4) / 4f).ToArray(),
            ["ndcg@20"] = users.Select(_ => (float)random.NextDouble()).ToArray(),
        };
        var blob = PerUserVectors.Encode(users, columns);
        var (backUsers, backColumns) = PerUserVectors.Decode(blob);
        Assert.Equal(users, backUsers);
        Assert.Equal(columns.Keys.Order(), backColumns.Keys.Order());
        foreach (var (name, values) in columns) Assert.Equal(values, backColumns[name]);
        Assert.True(blob.Length < users.Length * 4 * 3, $"blob of {blob.Length} bytes is not compressed");
    }

    [Fact]
    public void RejectsDamagedBlobs()
    {
        var blob = PerUserVectors.Encode(new[] { 1, 2, 3 }, new Dictionary<string, float[]> { ["hr@10"] = new[] { 1f, 0f, 1f } });
        Assert.Throws<InvalidDataException>(() => PerUserVectors.Decode(blob[..(blob.Length / 2)]));
        var wrongMagic = (byte[])blob.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => PerUserVectors.Decode(wrongMagic));
    }

    [Fact]
    public void RejectsColumnsOfWrongLength() =>
        Assert.Throws<ArgumentException>(() => PerUserVectors.Encode(new[] { 1, 2 }, new Dictionary<string, float[]> { ["hr@10"] = new[] { 1f } }));
}
