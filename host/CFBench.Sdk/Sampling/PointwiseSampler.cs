using CFBench.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Sdk;

/// <summary>One epoch's pointwise training instances: (user, item, label) with label 1 for a training interaction
/// and 0 for a sampled negative; int64 users and items and float32 labels, on the device, in a random order.</summary>
public sealed record PointwiseInstances(Tensor Users, Tensor Items, Tensor Labels) : IDisposable
{
    public long Count => Users.shape[0];

    public void Dispose()
    {
        Users.Dispose();
        Items.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// NCF's training instances (He et al., WWW 2017, official <c>get_train_instances</c>): every training interaction
/// as a positive, and for each, <c>negatives</c> items drawn uniformly and redrawn while the user has them in
/// training; the epoch is then shuffled (Keras' <c>fit(shuffle=True)</c>). Drawn anew each epoch, on the device.
/// </summary>
public sealed class PointwiseSampler : IDisposable
{
    private readonly Tensor _entryUsers;   // [nnz] int64
    private readonly Tensor _entryItems;   // [nnz] int64
    private readonly UniformNegatives _negatives;
    private readonly int _perPositive;

    public PointwiseSampler(InteractionMatrix userItems, int negativesPerPositive, Device device)
    {
        if (negativesPerPositive < 0) throw new ArgumentOutOfRangeException(nameof(negativesPerPositive));
        _entryUsers = tensor(userItems.EntryRows().Select(x => (long)x).ToArray(), device: device);
        _entryItems = tensor(userItems.ColumnIndices.ToArray().Select(x => (long)x).ToArray(), device: device);
        _negatives = new UniformNegatives(userItems, device);
        _perPositive = negativesPerPositive;
    }

    /// <summary>Positives plus negatives per epoch.</summary>
    public long InstancesPerEpoch => _entryUsers.shape[0] * (1 + _perPositive);

    /// <summary>Negatives that still collided with a positive after the last draw.</summary>
    public long LastCollisions => _negatives.LastCollisions;

    public PointwiseInstances Sample(Generator generator)
    {
        using var scope = NewDisposeScope();
        var negativeUsers = _entryUsers.repeat(_perPositive);
        var negativeItems = _negatives.Sample(negativeUsers, generator);
        var users = cat(new[] { _entryUsers, negativeUsers });
        var items = cat(new[] { _entryItems, negativeItems });
        var labels = cat(new[] { ones(_entryUsers.shape[0], dtype: float32, device: users.device),
                                 zeros(negativeUsers.shape[0], dtype: float32, device: users.device) });
        var order = _negatives.OnDevice(randperm(users.shape[0], dtype: int64, device: generator.device, generator: generator));
        return new PointwiseInstances(users.index_select(0, order).MoveToOuterDisposeScope(),
            items.index_select(0, order).MoveToOuterDisposeScope(), labels.index_select(0, order).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _entryUsers.Dispose();
        _entryItems.Dispose();
        _negatives.Dispose();
    }
}
