using CFBench.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Sdk;

/// <summary>How a pairwise-loss epoch draws its (user, positive) pairs.</summary>
public enum PairSampling
{
    /// <summary>As the official LightGCN code: |train| draws, each a uniformly random user (among users with
    /// training items) and a uniformly random item of that user.</summary>
    UserUniform,
    /// <summary>Every training interaction once, in a random order (an epoch over the edges).</summary>
    EdgePermutation,
}

/// <summary>One epoch's (user, positive item, negative item) triplets, int64 tensors on the device.</summary>
public sealed record Triplets(Tensor Users, Tensor Positives, Tensor Negatives) : IDisposable
{
    public long Count => Users.shape[0];

    public void Dispose()
    {
        Users.Dispose();
        Positives.Dispose();
        Negatives.Dispose();
    }
}

/// <summary>
/// Draws BPR-style training triplets on the device, so the batch loop never goes back to the host. Negatives are
/// uniform over items and rejected when they are a training item of the user, as in the official samplers;
/// after <see cref="MaxRejectionRounds"/> redraws the few still colliding are kept (counted in
/// <see cref="LastCollisions"/>).
/// </summary>
public sealed class TripletSampler : IDisposable
{
    public const int MaxRejectionRounds = 20;

    private readonly Tensor _rowOffsets;   // [users + 1] int64
    private readonly Tensor _entryUsers;   // [nnz] int64
    private readonly Tensor _entryItems;   // [nnz] int64
    private readonly Tensor _activeUsers;  // users with at least one item
    private readonly Tensor _sortedKeys;   // user * items + item, ascending
    private readonly long _items;

    public TripletSampler(InteractionMatrix userItems, Device device)
    {
        _items = userItems.Columns;
        var offsets = userItems.RowOffsets.ToArray().Select(x => (long)x).ToArray();
        _rowOffsets = tensor(offsets, device: device);
        _entryUsers = tensor(userItems.EntryRows().Select(x => (long)x).ToArray(), device: device);
        _entryItems = tensor(userItems.ColumnIndices.ToArray().Select(x => (long)x).ToArray(), device: device);
        var active = Enumerable.Range(0, userItems.Rows).Where(u => userItems.RowLength(u) > 0).Select(u => (long)u).ToArray();
        _activeUsers = tensor(active, device: device);
        // CSR order is user-major with sorted items, so the keys are already ascending.
        _sortedKeys = (_entryUsers * _items + _entryItems).contiguous();
        Interactions = userItems.Count;
    }

    public long Interactions { get; }

    /// <summary>Negatives that still collided with a positive after the last draw.</summary>
    public long LastCollisions { get; private set; }

    public Triplets Sample(PairSampling sampling, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor users, positives;
        if (sampling == PairSampling.EdgePermutation)
        {
            var perm = OnDevice(randperm(Interactions, dtype: int64, device: generator.device, generator: generator));
            users = _entryUsers.index_select(0, perm);
            positives = _entryItems.index_select(0, perm);
        }
        else
        {
            var pick = OnDevice(randint(0, _activeUsers.shape[0], new[] { Interactions }, dtype: int64, device: generator.device, generator: generator));
            users = _activeUsers.index_select(0, pick);
            var start = _rowOffsets.index_select(0, users);
            var degree = _rowOffsets.index_select(0, users + 1) - start;
            var offset = (OnDevice(rand(new[] { Interactions }, dtype: float64, device: generator.device, generator: generator)) * degree).floor().to(int64);
            offset = minimum(offset, degree - 1);
            positives = _entryItems.index_select(0, start + offset);
        }
        var negatives = SampleNegatives(users, generator);
        return new Triplets(users.MoveToOuterDisposeScope(), positives.MoveToOuterDisposeScope(), negatives.MoveToOuterDisposeScope());
    }

    /// <summary>One uniform negative per entry of <paramref name="users"/>, rejecting the user's training items.</summary>
    public Tensor SampleNegatives(Tensor users, Generator generator)
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

    /// <summary>Random draws come from the generator's device (the CPU, see <see cref="RunContext.CreateGenerator"/>)
    /// and move to the sampler's device.</summary>
    private Tensor OnDevice(Tensor drawn) =>
        drawn.device_type == _entryUsers.device_type && drawn.device_index == _entryUsers.device_index ? drawn : drawn.to(_entryUsers.device);

    /// <summary>Whether each (user, item) pair is a training interaction.</summary>
    public Tensor IsPositive(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        var keys = users * _items + items;
        var at = searchsorted(_sortedKeys, keys).clamp_max(_sortedKeys.shape[0] - 1);
        return _sortedKeys.index_select(0, at).eq(keys).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _rowOffsets.Dispose();
        _entryUsers.Dispose();
        _entryItems.Dispose();
        _activeUsers.Dispose();
        _sortedKeys.Dispose();
    }
}
