using CFBench.Sdk;
using CFBench.Sdk.Graph;
using CFBench.Sdk.Propagation;
using CFBench.Tests.LightGcn;
using static TorchSharp.torch;

namespace CFBench.Tests.Sdk;

/// <summary>Per-batch entry scales of Â (NGCF's node dropout) in every sparse kernel, and the official NGCF sampler.</summary>
public class ScaledPropagationTests
{
    private static IPropagation Kernel(string name, NormalizedAdjacency adjacency, long dim) => name switch
    {
        "embedding-bag-cut" => new KernelPropagation(new EmbeddingBagKernel(adjacency, CPU, dim, maxBag: 3), adjacency.MirrorEntries),
        _ => SparsePropagation.Create(adjacency, CPU, name switch
        {
            "csr" => PropagationKernel.Csr,
            "coo" => PropagationKernel.Coo,
            _ => PropagationKernel.EmbeddingBag,
        }, dim, maxBag: 0),
    };

    [Fact]
    public void MirrorEntryOfTargetAndNeighbourIsNeighbourAndTarget()
    {
        var a = NormalizedAdjacency.Build(LightGcnGraphs.Random(), Normalization.L, selfLoops: true);
        var mirror = a.MirrorEntries();
        var rows = new long[a.Entries];
        for (int t = 0; t < a.Nodes; t++)
            for (long k = a.RowOffsets[t]; k < a.RowOffsets[t + 1]; k++) rows[k] = t;
        for (long k = 0; k < a.Entries; k++)
        {
            Assert.Equal(rows[k], a.Columns[mirror[k]]);
            Assert.Equal(a.Columns[k], rows[mirror[k]]);
            Assert.Equal(a.TransposedWeights[k], a.Weights[mirror[k]]);
        }
    }

    [Theory]
    [InlineData("embedding-bag", "L1-L")]
    [InlineData("embedding-bag-cut", "L1-L")]
    [InlineData("csr", "L")]
    [InlineData("coo", "R")]
    public void ScaledForwardAndGradientEqualTheDenseProductWithScaledEntries(string kernel, string norm)
    {
        var adjacency = NormalizedAdjacency.Build(LightGcnGraphs.Random(), NormalizationNames.Parse(norm), selfLoops: true);
        using var op = Kernel(kernel, adjacency, 8);
        var generator = new Generator(5);
        using var scale = rand(new[] { adjacency.Entries }, generator: generator).lt(0.7).to(float32) * 2.5f;
        var s = scale.data<float>().ToArray();
        var dense = new double[adjacency.Nodes * adjacency.Nodes];
        for (int t = 0; t < adjacency.Nodes; t++)
            for (long k = adjacency.RowOffsets[t]; k < adjacency.RowOffsets[t + 1]; k++)
                dense[t * adjacency.Nodes + adjacency.Columns[k]] = adjacency.Weights[k] * s[k];
        using var scaled = tensor(dense, new long[] { adjacency.Nodes, adjacency.Nodes }).to(float32);
        using var x = randn(adjacency.Nodes, 8, generator: generator).requires_grad_(true);
        using var weights = randn(adjacency.Nodes, 8, generator: generator);

        using var y = op.Propagate(op.Propagate(x, scale), scale);
        LightGcnGraphs.AssertClose(scaled.mm(scaled.mm(x.detach())), y);
        (y * weights).sum().backward();
        LightGcnGraphs.AssertClose(scaled.t().mm(scaled.t().mm(weights)), x.grad!);

        using var plain = op.Propagate(x.detach());   // an unscaled product afterwards uses Â as built
        using var dropped = op.Propagate(x.detach(), ones_like(scale));
        LightGcnGraphs.AssertClose(plain, dropped);
    }

    [Fact]
    public void UserBatchesHoldDistinctUsersWithATrainingPositiveAndANonPositiveNegative()
    {
        var train = LightGcnGraphs.Random();   // about 200 interactions, 39 users with items
        using var sampler = new TripletSampler(train.UserItems, CPU);
        using var generator = new Generator(9);
        using var triplets = sampler.SampleUserBatches(16, generator);
        Assert.Equal((train.Interactions / 16 + 1) * 16, triplets.Count);
        var users = triplets.Users.data<long>().ToArray();
        for (int b = 0; b < users.Length; b += 16)
            Assert.Equal(16, users.Skip(b).Take(16).Distinct().Count());
        Assert.DoesNotContain(0L, users);   // user 0 has no items
        using var negatives = new UniformNegatives(train.UserItems, CPU);
        Assert.True(negatives.IsPositive(triplets.Users, triplets.Positives).all().item<bool>());
        Assert.Equal(sampler.LastCollisions, negatives.IsPositive(triplets.Users, triplets.Negatives).sum().item<long>());

        using var again = new Generator(9);
        using var same = sampler.SampleUserBatches(16, again);
        Assert.True(same.Users.eq(triplets.Users).all().item<bool>() && same.Negatives.eq(triplets.Negatives).all().item<bool>());
        using var large = sampler.SampleUserBatches(64, generator);   // more than the 39 users: drawn with replacement
        Assert.Equal((train.Interactions / 64 + 1) * 64, large.Count);
    }
}
