using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// Generalized Matrix Factorization (He et al., NCF, WWW 2017, eq. 9; official GMF.py): user and item embeddings of
/// f factors, multiplied element-wise; the prediction layer (in <see cref="NcfNetwork"/>) then gives σ(hᵀ(p_u ⊙ q_i)).
/// </summary>
internal sealed class GmfTower(int factors)
{
    public const string User = "mf_user", Item = "mf_item";

    public int Output => factors;

    public void Declare(FlatLayout layout, long users, long items)
    {
        layout.Add(User, users, factors);
        layout.Add(Item, items, factors);
    }

    public void Initialize(FlatParameters p, double std, Generator generator)
    {
        KerasInit.Normal(p[User], std, generator);
        KerasInit.Normal(p[Item], std, generator);
    }

    public Tensor Forward(FlatParameters p, Tensor users, Tensor items) =>
        p.Rows(User, users).mul(p.Rows(Item, items));
}
