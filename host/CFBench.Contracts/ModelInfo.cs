namespace CFBench.Contracts;

/// <summary>A named set of parameter values a model offers (e.g. LightGCN "K3-sym").</summary>
/// <param name="Requires">Roles of the upstream runs this variant needs, e.g. NeuMF with pretraining needs
/// <c>gmf</c> and <c>mlp</c>: a suite entry names a run for each role (<c>dependsOn</c>), the host runs those first and
/// hands their exported weights over in <see cref="RunContext.Upstream"/>.</param>
public sealed record ModelVariant(string Name, string Description, IReadOnlyDictionary<string, object> Parameters,
    IReadOnlyList<string>? Requires = null)
{
    public IReadOnlyList<string> RequiredRoles => Requires ?? Array.Empty<string>();
}

/// <summary>What a model is, declared once by its plugin and listed by <c>cfbench models</c>.</summary>
/// <param name="Name">Unique model name used in bench.json (e.g. "LightGCN").</param>
/// <param name="Family">Model family (e.g. "graph", "matrix factorization", "baseline").</param>
/// <param name="Paper">The paper the model implements.</param>
/// <param name="Inductive">True when the model scores users from their known interactions
/// (<see cref="ScoreRequest.History"/>) rather than by learned per-user parameters, and so can score held-out users
/// (<see cref="ScoredUsers.HeldOut"/>). The host refuses to run a model that is not inductive under a protocol that
/// scores held-out users (strong generalization).</param>
public sealed record ModelInfo(
    string Name,
    string Family,
    string Paper,
    string Description,
    IReadOnlyList<HyperParameter> Parameters,
    IReadOnlyList<ModelVariant> Variants,
    bool Inductive = false)
{
    public HyperParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
    public ModelVariant? Variant(string name) => Variants.FirstOrDefault(v => v.Name == name);
}
