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
        is_grad_enabled() ? Lookup.apply(table, indices, tableGradient) : table.index_select(0, indices);

    private sealed class Lookup : autograd.SingleTensorFunction<Lookup>
    {
        public override string Name => "NcfEmbeddingLookup";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (table, indices) = ((Tensor)vars[0], (Tensor)vars[1]);
            ctx.save_data("indices", indices);
            ctx.save_data("gradient", vars[2]);
            return table.index_select(0, indices);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var (indices, gradient) = ((Tensor)ctx.get_data("indices"), (Tensor)ctx.get_data("gradient"));
            gradient.index_add_(0, indices, gradOutput, 1);
            return new List<Tensor> { null!, null!, null! };
        }
    }
}
