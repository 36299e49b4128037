using CFBench.Sdk.Graph;
using CFBench.Sdk.Propagation;
using static TorchSharp.torch;

namespace CFBench.Tests.LightGcn;

public class PropagationTests
{
    private static IPropagation Kernel(string name, NormalizedAdjacency adjacency, long dim) => name switch
    {
        "embedding-bag" => new KernelPropagation(new EmbeddingBagKernel(adjacency, CPU, dim, maxBag: 0)),
        // The random graph's rows have up to ~13 entries: parts of 3 cut most of them, some into several parts.
        "embedding-bag-cut" => new KernelPropagation(new EmbeddingBagKernel(adjacency, CPU, dim, maxBag: 3)),
        "csr" => new KernelPropagation(new CsrKernel(adjacency, CPU)),
        "coo" => new CooPropagation(adjacency, CPU),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("embedding-bag", "sym")]
    [InlineData("embedding-bag", "L")]
    [InlineData("embedding-bag", "L1-R")]
    [InlineData("embedding-bag-cut", "sym")]
    [InlineData("embedding-bag-cut", "L1-L")]
    [InlineData("csr", "sym")]
    [InlineData("csr", "R")]
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

    [Theory]
    [InlineData("embedding-bag")]
    [InlineData("embedding-bag-cut")]
    [InlineData("csr")]
    public void ProductLeavesNothingAliveButItsResult(string name)
    {
        // On a GPU the backward's products run on autograd's device thread, outside any dispose scope: a temporary
        // the kernel does not dispose stays on the GPU until a garbage collection (it filled an 80 GB GPU in 3 epochs).
        var adjacency = NormalizedAdjacency.Build(LightGcnGraphs.Random(), Normalization.L);
        using ISparseKernel kernel = name == "csr" ? new CsrKernel(adjacency, CPU)
            : new EmbeddingBagKernel(adjacency, CPU, 4, maxBag: name == "embedding-bag" ? 0 : 3);
        using var x = ones(adjacency.Nodes, 4);
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        long before = statistics.ThreadTotalLiveCount;
        foreach (bool transposed in new[] { false, true })
            using (kernel.Multiply(x, transposed)) { }
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void LongRowsAreCutIntoPartsThatCoverEachRowInOrder()
    {
        long[] rowOffsets = { 0, 0, 5, 7, 7, 14 };   // row lengths 0, 5, 2, 0, 7
        var (parts, rowParts) = EmbeddingBagKernel.CutRows(rowOffsets, maxBag: 3)!.Value;
        Assert.Equal(new long[] { 0, 3, 5, 7, 10, 13, 14 }, parts);
        Assert.Equal(new long[] { 0, 0, 2, 3, 3, 6 }, rowParts);
        Assert.Null(EmbeddingBagKernel.CutRows(rowOffsets, maxBag: 7));
        Assert.Null(EmbeddingBagKernel.CutRows(rowOffsets, maxBag: 0));
    }

    [Theory]
    [InlineData("embedding-bag")]
    [InlineData("embedding-bag-cut")]
    [InlineData("csr")]
    public void IsolatedNodesReceiveNothing(string kernel)
    {
        var train = LightGcnGraphs.Random();
        var adjacency = NormalizedAdjacency.Build(train, Normalization.Sym);
        using var op = Kernel(kernel, adjacency, 4);
        using var x = ones(adjacency.Nodes, 4);
        using var y = op.Propagate(x);
        Assert.Equal(0f, y[0].abs().sum().item<float>());            // user 0 has no items
        Assert.Equal(0f, y[train.Users].abs().sum().item<float>());  // item 0 has no users
        Assert.True(y[adjacency.Nodes - 1].abs().sum().item<float>() > 0);
    }
}
