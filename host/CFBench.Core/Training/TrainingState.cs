namespace CFBench.Core.Training;

/// <summary>
/// The trainer's own state between epochs: the last completed epoch and the early-stopping bookkeeping. Saved in
/// every checkpoint so a resumed run takes the same decisions as an uninterrupted one.
/// </summary>
public sealed record TrainingState(int Epoch, double BestValue, int BestEpoch, int EvaluationsWithoutImprovement)
{
    public static TrainingState Fresh => new(0, double.NegativeInfinity, 0, 0);

    public bool HasBest => BestEpoch > 0;

    /// <summary>The state after an evaluation at <paramref name="epoch"/> that scored <paramref name="value"/>.</summary>
    public TrainingState AfterEvaluation(int epoch, double value) =>
        value > BestValue
            ? this with { Epoch = epoch, BestValue = value, BestEpoch = epoch, EvaluationsWithoutImprovement = 0 }
            : this with { Epoch = epoch, EvaluationsWithoutImprovement = EvaluationsWithoutImprovement + 1 };

    public bool ShouldStop(int patience) => patience > 0 && EvaluationsWithoutImprovement >= patience;
}
