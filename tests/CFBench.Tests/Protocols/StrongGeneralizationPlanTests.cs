using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using static CFBench.Tests.Protocols.ProtocolTestData;

namespace CFBench.Tests.Protocols;

public class StrongGeneralizationPlanTests
{
    private static IProtocol Protocol(ModelSelection selection = ModelSelection.Validation) =>
        ProtocolFactory.Create(new ProtocolOptions { Name = "strong-generalization", Selection = selection });

    private static InteractionDataset Data(bool withValidation) => Dataset(
        Matrix(6, new[] { 0, 1 }, new[] { 2, 3 }),
        validationUsers: withValidation ? new HeldOutUsers(Matrix(6, new[] { 1 }, new[] { 2 }), Matrix(6, new[] { 4 }, new[] { 5 })) : null,
        testUsers: new HeldOutUsers(Matrix(6, new[] { 0 }, new[] { 1 }, new[] { 2 }), Matrix(6, new[] { 3, 5 }, Array.Empty<int>(), new[] { 4 })));

    [Fact]
    public void HeldOutUsersAreRowIndicesScoredFromTheirFoldIn()
    {
        var data = Data(withValidation: true);
        var plan = Protocol().Plan(data, 1);
        Assert.Same(data.Train, plan.Train.UserItems);
        Assert.Equal("validation", plan.Selection.Name);
        Assert.Equal(new[] { 0, 1 }, plan.Selection.Users);
        Assert.Equal(new[] { 0, 2 }, plan.Test.Users); // test row 1 has no held-out items
        Assert.Equal(ScoredUsers.HeldOut, plan.Test.Scored);
        Assert.Equal(new[] { new[] { 0 }, new[] { 2 } }, Rows(plan.Test.Known));
        Assert.Equal(new[] { new[] { 3, 5 }, new[] { 4 } }, Rows(plan.Test.Relevant));
    }

    [Fact]
    public void ValidationSelectionWithoutValidationUsersIsAOneLineError()
    {
        var e = Assert.Throws<DatasetException>(() => Protocol().Plan(Data(withValidation: false), 1));
        Assert.Contains("no held-out validation users", e.Message);
        var plan = Protocol(ModelSelection.Test).Plan(Data(withValidation: false), 1);
        Assert.Same(plan.Test, plan.Selection);
    }
}
