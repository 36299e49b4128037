using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Plugins.NCF;

/// <summary>
/// Embedding rows whose backward adds the batch's row gradients straight into the table's slice of the flat gradient
/// (index_add_ of [batch, dim]), instead of autograd's dense path (a zeroed table-size gradient, index_add into it,
/// then a table-size addition into the accumulated gradient): three passes over every table per step saved. The
/// result is the same: the flat gradient is zeroed before each backward.
/// </summary>
internal static class FlatEmbeddingLookup
{
    /// <summary>Rows <paramref name="indices"/> of <paramref name="table"/>; while grad mode is on, their gradient goes
    /// into <paramref name="tableGradient"/>.</summary>
    public static Tensor Rows(Tensor table, Tensor tableGradient, Tensor indices) =>
        is_grad_enabled() ? Lookup.apply(table, new Target(indices, tableGradient)) : table.index_select(0, indices);

    /// <summary>Where the backward writes. Held in a plain object: autograd's saved tensors would check the gradient's
    /// version, which the zeroing between forward and backward changes, and TorchSharp warns on tensors saved as data.</summary>
    private sealed record Target(Tensor Indices, Tensor Gradient);

    private sealed class Lookup : autograd.SingleTensorFunction<Lookup>
    {
        public override string Name => "NcfEmbeddingLookup";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (table, target) = ((Tensor)vars[0], (Target)vars[1]);
            ctx.save_data("target", target);
            return table.index_select(0, target.Indices);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var target = (Target)ctx.get_data("target");
            target.Gradient.index_add_(0, target.Indices, gradOutput, 1);
            return new List<Tensor> { null!, null! };
        }
    }
}
