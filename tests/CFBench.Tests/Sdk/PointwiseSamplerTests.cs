using CFBench.Contracts;
using CFBench.Sdk;
using CFBench.Tests.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Sdk;

public class PointwiseSamplerTests
{
    [Fact]
    public void EveryInteractionOnceAsAPositiveAndKNegativesOutsideTheUsersItems()
    {
        var train = SyntheticData.Create();
        using var sampler = new PointwiseSampler(train.UserItems, 4, CPU);
        using var generator = new Generator(5, CPU);
        using var epoch = sampler.Sample(generator);
        Assert.Equal(train.Interactions * 5L, epoch.Count);

        var users = epoch.Users.data<long>().ToArray();
        var items = epoch.Items.data<long>().ToArray();
        var labels = epoch.Labels.data<float>().ToArray();
        var positives = Enumerable.Range(0, users.Length).Where(k => labels[k] == 1)
            .Select(k => (users[k], items[k])).Order().ToList();
        var expected = Enumerable.Range(0, train.Users)
            .SelectMany(u => train.UserItems.Row(u).ToArray().Select(i => ((long)u, (long)i))).Order().ToList();
        Assert.Equal(expected, positives);
        var negatives = Enumerable.Range(0, users.Length).Where(k => labels[k] == 0).ToList();
        Assert.Equal(4 * train.Interactions, negatives.Count);
        Assert.Equal(sampler.LastCollisions, negatives.Count(k => train.UserItems.Contains((int)users[k], (int)items[k])));
        Assert.Equal(0, sampler.LastCollisions);
        // Shuffled: the positives are not all first.
        Assert.Contains(0f, labels.Take(train.Interactions));
    }

    [Fact]
    public void SameSeedGivesTheSameEpochAndTheNextEpochDiffers()
    {
        var train = SyntheticData.Create();
        using var sampler = new PointwiseSampler(train.UserItems, 4, CPU);
        long[] Items(Generator g) { using var e = sampler.Sample(g); return e.Items.data<long>().ToArray(); }
        using var a = new Generator(9, CPU);
        using var b = new Generator(9, CPU);
        var first = Items(a);
        Assert.Equal(first, Items(b));
        Assert.NotEqual(first, Items(a));
    }
}
