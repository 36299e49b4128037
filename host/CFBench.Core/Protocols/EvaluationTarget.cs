using CFBench.Contracts;

namespace CFBench.Core.Protocols;

/// <summary>
/// One graded set of users. Row b of every matrix belongs to user <c>Users[b]</c>.
/// <see cref="Known"/> is what the model saw for that user: masked before ranking and, for inductive models,
/// passed as <see cref="ScoreRequest.History"/>. <see cref="Relevant"/> is what the user is graded on.
/// <see cref="Candidates"/>, when set, limits ranking to those items (sampled protocol).
/// <see cref="Scored"/> says whether they are training users (<see cref="Users"/> are their ids) or held-out users
/// unknown to the model (strong generalization: <see cref="Users"/> are only row numbers, never shown to the model).
/// </summary>
public sealed record EvaluationTarget(
    string Name,
    int[] Users,
    InteractionMatrix Known,
    InteractionMatrix Relevant,
    InteractionMatrix? Candidates = null,
    ScoredUsers Scored = ScoredUsers.Training);

/// <summary>What a protocol hands the trainer: the training set the model sees, the target that picks the best
/// epoch, and the final test target.</summary>
public sealed record EvaluationPlan(TrainingSet Train, EvaluationTarget Selection, EvaluationTarget Test);

/// <summary>Graded result of one evaluation. <see cref="PerUser"/> holds, per metric column, the value of every user
/// in <see cref="Users"/> (same order), for significance tests.</summary>
public sealed record EvaluationResult(
    string Target,
    IReadOnlyDictionary<string, double> Means,
    IReadOnlyDictionary<string, float[]> PerUser,
    int[] Users,
    double Seconds);
