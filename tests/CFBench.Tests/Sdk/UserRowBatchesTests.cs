using CFBench.Contracts;
using CFBench.Sdk;
using CFBench.Tests.Plugins;
using static TorchSharp.torch;

namespace CFBench.Tests.Sdk;

public class UserRowBatchesTests
{
    [Fact]
    public void AnEpochVisitsEveryUserOnceWithItsDenseRow()
    {
        var train = SyntheticData.Create(users: 53);
        var batches = new UserRowBatches(train.UserItems, 10, CPU);
        using var random = new RandomStream(3, 0, CPU);
        var seen = new List<int>();
        foreach (var batch in batches.Epoch(random))
        {
            using (batch)
            {
                Assert.Equal(new long[] { batch.Users.Length, train.Items }, batch.Rows.shape);
                var dense = batch.Rows.data<float>().ToArray();
                for (int b = 0; b < batch.Users.Length; b++)
                {
                    var row = Enumerable.Range(0, train.Items).Where(i => dense[b * train.Items + i] == 1f).ToArray();
                    Assert.Equal(train.UserItems.Row(batch.Users[b]).ToArray(), row);
                }
                seen.AddRange(batch.Users);
            }
        }
        Assert.Equal(6, batches.BatchCount);
        Assert.Equal(Enumerable.Range(0, 53), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 53), seen);   // shuffled
    }

    [Fact]
    public void TheOrderFollowsTheSeed()
    {
        var train = SyntheticData.Create(users: 40);
        var batches = new UserRowBatches(train.UserItems, 7, CPU);
        int[] Order(long seed)
        {
            using var random = new RandomStream(seed, 0, CPU);
            return batches.Epoch(random).SelectMany(b => { using (b) return b.Users; }).ToArray();
        }
        Assert.Equal(Order(1), Order(1));
        Assert.NotEqual(Order(1), Order(2));
    }
}
