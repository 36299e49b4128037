using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Tests.Sdk;

public class RandomStreamTests
{
    [Fact]
    public void DropoutZeroesAboutPAndScalesTheRest()
    {
        using var random = new RandomStream(1, 7, CPU);
        using var x = ones(200, 100);
        using var y = random.Dropout(x, 0.25);
        var values = y.data<float>().ToArray();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6, $"{v}"));
        Assert.InRange(values.Count(v => v == 0f) / (double)values.Length, 0.22, 0.28);
    }

    [Fact]
    public void SavedStateResumesTheSameDraws()
    {
        using var a = new RandomStream(4, 2, CPU);
        using var first = a.Normal(new long[] { 5 });
        var buffer = new MemoryStream();
        a.Save(new BinaryWriter(buffer), "s");
        using var next = a.Normal(new long[] { 5 });

        using var b = new RandomStream(99, 0, CPU);
        buffer.Position = 0;
        b.Load(new BinaryReader(buffer), "s");
        using var resumed = b.Normal(new long[] { 5 });
        Assert.Equal(next.data<float>().ToArray(), resumed.data<float>().ToArray());
        Assert.NotEqual(first.data<float>().ToArray(), next.data<float>().ToArray());
    }

    [Fact]
    public void StreamsOfOneSeedAreIndependentAndRepeatable()
    {
        float[] Draw(long seed, int stream) { using var r = new RandomStream(seed, stream, CPU); using var t = r.Uniform(new long[] { 4 }); return t.data<float>().ToArray(); }
        Assert.Equal(Draw(1, 1), Draw(1, 1));
        Assert.NotEqual(Draw(1, 1), Draw(1, 2));
        Assert.NotEqual(Draw(1, 1), Draw(2, 1));
    }
}
