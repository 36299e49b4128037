using CFBench.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Sdk;

/// <summary>
/// Negative items drawn uniformly on the device and redrawn while they are a training item of their user, as the
/// official BPR and NCF samplers do; after <see cref="MaxRejectionRounds"/> redraws the few still colliding are kept
/// (counted in <see cref="LastCollisions"/>). Draws come from a CPU generator and move to the device.
/// </summary>
public sealed class UniformNegatives : IDisposable
{
    public const int MaxRejectionRounds = 20;

    private readonly Tensor _sortedKeys;   // user * items + item, ascending
    private readonly long _items;
    private readonly Device _device;

    public UniformNegatives(InteractionMatrix userItems, Device device)
    {
        _items = userItems.Columns;
        _device = device;
        // CSR order is user-major with sorted items, so the keys are already ascending.
        var keys = new long[userItems.Count];
        for (int u = 0, k = 0; u < userItems.Rows; u++)
            foreach (var item in userItems.Row(u)) keys[k++] = u * _items + item;
        _sortedKeys = tensor(keys, device: device);
    }

    /// <summary>Negatives that still collided with a positive after the last draw.</summary>
    public long LastCollisions { get; private set; }

    /// <summary>One negative per entry of <paramref name="users"/> (int64, on the device).</summary>
    public Tensor Sample(Tensor users, Generator generator)
    {
        using var scope = NewDisposeScope();
        var negatives = OnDevice(randint(0, _items, users.shape, dtype: int64, device: generator.device, generator: generator));
        var collide = IsPositive(users, negatives);
        for (int round = 0; round < MaxRejectionRounds; round++)
        {
            var redo = collide.nonzero().squeeze(1);
            if (redo.shape[0] == 0) break;
            var fresh = OnDevice(randint(0, _items, redo.shape, dtype: int64, device: generator.device, generator: generator));
            negatives.index_put_(fresh, redo);
            collide = zeros_like(collide).index_put_(IsPositive(users.index_select(0, redo), fresh), redo);
        }
        LastCollisions = collide.sum().item<long>();
        return negatives.MoveToOuterDisposeScope();
    }

    /// <summary>Whether each (user, item) pair is a training interaction.</summary>
    public Tensor IsPositive(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        var keys = users * _items + items;
        var at = searchsorted(_sortedKeys, keys).clamp_max(Math.Max(0, _sortedKeys.shape[0] - 1));
        var found = _sortedKeys.shape[0] == 0 ? zeros_like(keys, dtype: @bool) : _sortedKeys.index_select(0, at).eq(keys);
        return found.MoveToOuterDisposeScope();
    }

    /// <summary>A draw from the (CPU) generator, moved to the sampler's device.</summary>
    internal Tensor OnDevice(Tensor drawn) =>
        drawn.device_type == _device.type && (_device.index < 0 || drawn.device_index == _device.index) ? drawn : drawn.to(_device);

    public void Dispose() => _sortedKeys.Dispose();
}
