using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using static CFBench.Tests.Protocols.ProtocolTestData;

namespace CFBench.Tests.Protocols;

public class FullRankingPlanTests
{
    private static IProtocol Protocol(ModelSelection selection) =>
        ProtocolFactory.Create(new ProtocolOptions { Name = "full-ranking", Selection = selection, ValidationFraction = 0.25 });

    [Fact]
    public void TestSelectionTrainsOnAllTrainingDataAndSelectsOnTest()
    {
        var data = Dataset(Matrix(5, new[] { 0, 1 }, new[] { 2 }, new[] { 3 }), Matrix(5, new[] { 4 }, Array.Empty<int>(), new[] { 0, 4 }));
        var plan = Protocol(ModelSelection.Test).Plan(data, seed: 1);
        Assert.Same(data.Train, plan.Train.UserItems);
        Assert.Same(plan.Test, plan.Selection);
        Assert.Equal(new[] { 0, 2 }, plan.Test.Users); // user 1 has no test items
        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 3 } }, Rows(plan.Test.Known));
        Assert.Equal(new[] { new[] { 4 }, new[] { 0, 4 } }, Rows(plan.Test.Relevant));
        Assert.Null(plan.Test.Candidates);
        Assert.Equal(ScoredUsers.Training, plan.Test.Scored);
    }

    [Fact]
    public void ValidationSplitIsSeededDisjointAndMasksAllTrainingItemsAtTest()
    {
        var data = Random(users: 40, items: 30, seed: 5);
        var plan = Protocol(ModelSelection.Validation).Plan(data, seed: 11);
        var again = Protocol(ModelSelection.Validation).Plan(data, seed: 11);
        var other = Protocol(ModelSelection.Validation).Plan(data, seed: 12);

        Assert.Equal(Rows(plan.Train.UserItems), Rows(again.Train.UserItems));
        Assert.NotEqual(Rows(plan.Train.UserItems), Rows(other.Train.UserItems));

        var fit = plan.Train.UserItems;
        var selection = plan.Selection;
        Assert.Equal("validation", selection.Name);
        for (int u = 0; u < data.Users; u++)
        {
            var train = data.Train.Row(u).ToArray();
            int n = train.Length, expectedHeld = (int)Math.Clamp(Math.Floor(0.25 * n + 0.5), 1, n - 1);
            int b = Array.IndexOf(selection.Users, u);
            var held = selection.Relevant.Row(b).ToArray();
            Assert.Equal(expectedHeld, held.Length);
            Assert.Empty(held.Intersect(fit.Row(u).ToArray()));
            Assert.Equal(train, fit.Row(u).ToArray().Concat(held).OrderBy(i => i));
            Assert.Equal(fit.Row(u).ToArray(), selection.Known.Row(b).ToArray());
        }
        // At test time all original training items are known (masked), not just the fit part.
        for (int b = 0; b < plan.Test.Users.Length; b++)
            Assert.Equal(data.Train.Row(plan.Test.Users[b]).ToArray(), plan.Test.Known.Row(b).ToArray());
    }

    [Fact]
    public void UsersWithOneTrainingItemKeepItForTraining()
    {
        var data = Dataset(Matrix(4, new[] { 1 }, new[] { 0, 2 }), Matrix(4, new[] { 3 }, new[] { 3 }));
        var plan = Protocol(ModelSelection.Validation).Plan(data, seed: 3);
        Assert.Equal(new[] { 1 }, plan.Train.UserItems.Row(0).ToArray());
        Assert.Equal(new[] { 1 }, plan.Selection.Users);
    }

    [Fact]
    public void MissingTestSplitIsAOneLineDatasetError()
    {
        var data = Dataset(Matrix(3, new[] { 0 }));
        var e = Assert.Throws<DatasetException>(() => Protocol(ModelSelection.Test).Plan(data, 1));
        Assert.Contains("'tiny' has no test split", e.Message);
    }
}
