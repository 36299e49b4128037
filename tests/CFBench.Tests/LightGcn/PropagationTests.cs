using CFBench.Plugins.LightGCN.Graph;
using CFBench.Plugins.LightGCN.Propagation;
using static TorchSharp.torch;

namespace CFBench.Tests.LightGcn;

public class PropagationTests
{
    private static IPropagation Kernel(string name, NormalizedAdjacency adjacency, long dim) => name switch
    {
        "embedding-bag" => new EmbeddingBagPropagation(adjacency, CPU, dim),
        "coo" => new CooPropagation(adjacency, CPU),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("embedding-bag", "sym")]
    [InlineData("embedding-bag", "L")]
    [InlineData("embedding-bag", "L1-R")]
    [InlineData("coo", "sym")]
    [InlineData("coo", "R")]
    public void ForwardAndGradientEqualTheDenseProduct(string kernel, string norm)
    {
        var adjacency = NormalizedAdjacency.Build(LightGcnGraphs.Random(), NormalizationNames.Parse(norm));
        using var op = Kernel(kernel, adjacency, 8);
        using var dense = LightGcnGraphs.Dense(adjacency).to(float32);
        var generator = new Generator(11);
        using var x = randn(adjacency.Nodes, 8, generator: generator).requires_grad_(true);
        using var weights = randn(adjacency.Nodes, 8, generator: generator);

        // Two chained layers, so the backward also feeds a kernel output's gradient into the kernel.
        using var y = op.Propagate(op.Propagate(x));
        using var expected = dense.mm(dense.mm(x.detach()));
        LightGcnGraphs.AssertClose(expected, y);

        (y * weights).sum().backward();
        using var expectedGrad = dense.t().mm(dense.t().mm(weights));
        LightGcnGraphs.AssertClose(expectedGrad, x.grad!);
    }

    [Fact]
    public void IsolatedNodesReceiveNothing()
    {
        var train = LightGcnGraphs.Random();
        var adjacency = NormalizedAdjacency.Build(train, Normalization.Sym);
        using var op = new EmbeddingBagPropagation(adjacency, CPU, 4);
        using var x = ones(adjacency.Nodes, 4);
        using var y = op.Propagate(x);
        Assert.Equal(0f, y[0].abs().sum().item<float>());            // user 0 has no items
        Assert.Equal(0f, y[train.Users].abs().sum().item<float>());  // item 0 has no users
        Assert.True(y[adjacency.Nodes - 1].abs().sum().item<float>() > 0);
    }
}
