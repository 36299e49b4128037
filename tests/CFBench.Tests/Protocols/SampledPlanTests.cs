using CFBench.Core.Protocols;
using static CFBench.Tests.Protocols.ProtocolTestData;

namespace CFBench.Tests.Protocols;

public class SampledPlanTests
{
    private static IProtocol Protocol(ModelSelection selection, int negatives = 0) =>
        ProtocolFactory.Create(new ProtocolOptions { Name = "sampled", Selection = selection, SampledNegatives = negatives });

    [Fact]
    public void UsesTheDatasetNegativesFile()
    {
        var negatives = Matrix(8, new[] { 5, 6, 7 }, new[] { 0, 4 });
        var data = Dataset(Matrix(8, new[] { 0, 1 }, new[] { 2, 3 }), Matrix(8, new[] { 2 }, new[] { 1 }), negatives);
        var plan = Protocol(ModelSelection.Test).Plan(data, 1);
        Assert.Same(plan.Test, plan.Selection);
        Assert.Equal(new[] { new[] { 5, 6, 7 }, new[] { 0, 4 } }, Rows(plan.Test.Candidates!));
        Assert.Equal(new[] { new[] { 2 }, new[] { 1 } }, Rows(plan.Test.Relevant));
    }

    [Fact]
    public void DrawsSeededNegativesOutsideTrainingAndTestItems()
    {
        var data = Random(users: 30, items: 40, seed: 2);
        var plan = Protocol(ModelSelection.Test, negatives: 10).Plan(data, seed: 7);
        var again = Protocol(ModelSelection.Test, negatives: 10).Plan(data, seed: 7);
        var other = Protocol(ModelSelection.Test, negatives: 10).Plan(data, seed: 8);
        var test = plan.Test;
        Assert.Equal(Rows(test.Candidates!), Rows(again.Test.Candidates!));
        Assert.NotEqual(Rows(test.Candidates!), Rows(other.Test.Candidates!));
        for (int b = 0; b < test.Users.Length; b++)
        {
            int u = test.Users[b];
            var negatives = test.Candidates!.Row(b).ToArray();
            Assert.Equal(10, negatives.Length);
            Assert.Empty(negatives.Intersect(data.Train!.Row(u).ToArray()));
            Assert.Empty(negatives.Intersect(data.Test!.Row(u).ToArray()));
        }
    }

    [Fact]
    public void UserWithFewAllowedItemsGetsThemAll()
    {
        var data = Dataset(Matrix(5, new[] { 0, 1, 2 }), Matrix(5, new[] { 3 }));
        var plan = Protocol(ModelSelection.Test, negatives: 99).Plan(data, seed: 1);
        Assert.Equal(new[] { 4 }, plan.Test.Candidates!.Row(0).ToArray());
    }

    [Fact]
    public void ValidationHoldsOutOneTrainingItemRankedAmongFreshNegatives()
    {
        var data = Random(users: 25, items: 60, seed: 4);
        var negatives = Matrix(60, Enumerable.Range(0, 25).Select(u =>
            Enumerable.Range(0, 60).Where(i => !data.Train.Contains(u, i) && !data.Test!.Contains(u, i)).Take(7).ToArray()).ToArray());
        data = Dataset(data.Train, data.Test, negatives);
        var plan = Protocol(ModelSelection.Validation).Plan(data, seed: 9);
        var selection = plan.Selection;
        Assert.Equal(Enumerable.Range(0, 25), selection.Users); // every user has >= 2 training items
        for (int b = 0; b < selection.Users.Length; b++)
        {
            int u = selection.Users[b];
            var held = selection.Relevant.Row(b).ToArray();
            Assert.Single(held);
            Assert.True(data.Train.Contains(u, held[0]));
            Assert.False(plan.Train.UserItems.Contains(u, held[0]));
            Assert.Equal(data.Train.RowLength(u) - 1, plan.Train.UserItems.RowLength(u));
            var drawn = selection.Candidates!.Row(b).ToArray();
            Assert.Equal(7, drawn.Length); // as many as the test file gives a user
            Assert.Empty(drawn.Intersect(data.Train.Row(u).ToArray()));
            Assert.Empty(drawn.Intersect(data.Test!.Row(u).ToArray()));
        }
        Assert.Equal(Rows(negatives).Where((_, u) => data.Test!.RowLength(u) > 0), Rows(plan.Test.Candidates!));
    }
}
