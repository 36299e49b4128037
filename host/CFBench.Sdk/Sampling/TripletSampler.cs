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
/// Draws BPR-style training triplets on the device, so the batch loop never goes back to the host. Negatives come
/// from <see cref="UniformNegatives"/> (uniform, rejected when they are a training item of the user, as in the
/// official samplers).
/// </summary>
public sealed class TripletSampler : IDisposable
{
    private readonly Tensor _rowOffsets;   // [users + 1] int64
    private readonly Tensor _entryUsers;   // [nnz] int64
    private readonly Tensor _entryItems;   // [nnz] int64
    private readonly Tensor _activeUsers;  // users with at least one item
    private readonly UniformNegatives _negatives;

    public TripletSampler(InteractionMatrix userItems, Device device)
    {
        var offsets = userItems.RowOffsets.ToArray().Select(x => (long)x).ToArray();
        _rowOffsets = tensor(offsets, device: device);
        _entryUsers = tensor(userItems.EntryRows().Select(x => (long)x).ToArray(), device: device);
        _entryItems = tensor(userItems.ColumnIndices.ToArray().Select(x => (long)x).ToArray(), device: device);
        var active = Enumerable.Range(0, userItems.Rows).Where(u => userItems.RowLength(u) > 0).Select(u => (long)u).ToArray();
        _activeUsers = tensor(active, device: device);
        _negatives = new UniformNegatives(userItems, device);
        Interactions = userItems.Count;
    }

    public long Interactions { get; }

    /// <summary>Negatives that still collided with a positive after the last draw.</summary>
    public long LastCollisions => _negatives.LastCollisions;

    public Triplets Sample(PairSampling sampling, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor users, positives;
        if (sampling == PairSampling.EdgePermutation)
        {
            var perm = _negatives.OnDevice(randperm(Interactions, dtype: int64, device: generator.device, generator: generator));
            users = _entryUsers.index_select(0, perm);
            positives = _entryItems.index_select(0, perm);
        }
        else
        {
            var pick = _negatives.OnDevice(randint(0, _activeUsers.shape[0], new[] { Interactions }, dtype: int64, device: generator.device, generator: generator));
            users = _activeUsers.index_select(0, pick);
            positives = RandomPositives(users, generator);
        }
        var negatives = _negatives.Sample(users, generator);
        return new Triplets(users.MoveToOuterDisposeScope(), positives.MoveToOuterDisposeScope(), negatives.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The official NGCF sampler (its <c>load_data.sample</c>): an epoch of |train| / <paramref name="batchSize"/> + 1
    /// batches, each of <paramref name="batchSize"/> distinct users drawn uniformly among users with training items
    /// (drawn with replacement when there are fewer such users than the batch, as the code does), each with one random
    /// positive and one negative. Batch b is rows b·batchSize .. (b+1)·batchSize-1 of the result.
    /// </summary>
    public Triplets SampleUserBatches(int batchSize, Generator generator)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size {batchSize} is below 1");
        using var scope = NewDisposeScope();
        long active = _activeUsers.shape[0], batches = Interactions / batchSize + 1;
        var picks = new List<Tensor>((int)batches);
        for (long b = 0; b < batches; b++)
            picks.Add(batchSize <= active
                ? randperm(active, dtype: int64, device: generator.device, generator: generator).narrow(0, 0, batchSize)
                : randint(0, active, new long[] { batchSize }, dtype: int64, device: generator.device, generator: generator));
        var users = _activeUsers.index_select(0, _negatives.OnDevice(cat(picks)));
        var positives = RandomPositives(users, generator);
        var negatives = _negatives.Sample(users, generator);
        return new Triplets(users.MoveToOuterDisposeScope(), positives.MoveToOuterDisposeScope(), negatives.MoveToOuterDisposeScope());
    }

    /// <summary>One uniformly random training item of each user (every user must have one).</summary>
    private Tensor RandomPositives(Tensor users, Generator generator)
    {
        var start = _rowOffsets.index_select(0, users);
        var degree = _rowOffsets.index_select(0, users + 1) - start;
        var offset = (_negatives.OnDevice(rand(users.shape, dtype: float64, device: generator.device, generator: generator)) * degree).floor().to(int64);
        offset = minimum(offset, degree - 1);
        return _entryItems.index_select(0, start + offset);
    }

    public void Dispose()
    {
        _rowOffsets.Dispose();
        _entryUsers.Dispose();
        _entryItems.Dispose();
        _activeUsers.Dispose();
        _negatives.Dispose();
    }
}
