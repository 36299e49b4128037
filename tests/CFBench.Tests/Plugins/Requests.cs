using CFBench.Contracts;
using static TorchSharp.torch;

namespace CFBench.Tests.Plugins;

/// <summary>Score requests as the host makes them for training users: ids and their training rows as history.</summary>
internal static class Requests
{
    public static ScoreRequest Training(TrainingSet train, long[] users, Tensor? candidates = null) =>
        ScoreRequest.ForTrainingUsers(users, train.UserItems.SelectRows(users.Select(u => (int)u).ToArray()), candidates);
}
