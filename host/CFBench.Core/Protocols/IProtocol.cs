using CFBench.Contracts;
using CFBench.Core.Datasets;
using TorchSharp;

namespace CFBench.Core.Protocols;

/// <summary>A named, paper-faithful evaluation protocol. The host grades; plugins only score.</summary>
public interface IProtocol
{
    ProtocolOptions Options { get; }

    /// <summary>Whether the protocol asks models to score held-out users (<see cref="ScoredUsers.HeldOut"/>): only
    /// inductive models can; the planner refuses the others before any training.</summary>
    bool ScoresHeldOutUsers { get; }

    /// <summary>Builds the training view and the selection/test targets. <paramref name="seed"/> fixes any split
    /// the protocol draws (the validation split).</summary>
    EvaluationPlan Plan(InteractionDataset data, long seed);

    /// <summary>Scores every user of <paramref name="target"/> in batches, masks, ranks and grades on
    /// <paramref name="device"/>.</summary>
    EvaluationResult Evaluate(IRecommender model, EvaluationTarget target, torch.Device device, CancellationToken cancel = default);
}
