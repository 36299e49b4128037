using CFBench.Contracts;
using CFBench.Sdk;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CFBench.Tests.Training;

/// <summary>
/// A small model with dropout, for resume tests: BPR matrix factorisation whose user and item vectors go through
/// dropout while training. Its randomness comes from the run's streams (initialisation, sampling, dropout), all of
/// which its checkpoint carries; with <c>globalDropout</c> it draws its masks from libtorch's global generator
/// instead, as <c>nn.functional.dropout</c> would, to show what that breaks.
/// </summary>
internal sealed class DropoutMf(bool globalDropout = false) : IRecommender
{
    private const double Rate = 0.3;
    private Parameter _users = null!, _items = null!;
    private Adam _adam = null!;
    private TripletSampler _sampler = null!;
    private Generator _sampling = null!;
    private RandomStream _dropout = null!;

    public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
    {
        using (var init = context.CreateGenerator(0))
        {
            _users = new Parameter(context.Normal(new long[] { train.Users, 8 }, 0.1, init));
            _items = new Parameter(context.Normal(new long[] { train.Items, 8 }, 0.1, init));
        }
        _adam = optim.Adam(new[] { _users, _items }, lr: 0.05);
        _sampler = new TripletSampler(train.UserItems, context.Device);
        _sampling = context.CreateGenerator(1);
        _dropout = context.CreateRandom(2);
    }

    public EpochReport TrainEpoch(CancellationToken cancel)
    {
        using var scope = NewDisposeScope();
        using var triplets = _sampler.Sample(PairSampling.EdgePermutation, _sampling);
        var u = Dropout(_users.index_select(0, triplets.Users));
        var i = Dropout(_items.index_select(0, triplets.Positives));
        var j = Dropout(_items.index_select(0, triplets.Negatives));
        var loss = nn.functional.softplus((u * j).sum(1) - (u * i).sum(1)).mean();
        _adam.zero_grad();
        loss.backward();
        _adam.step();
        return new EpochReport(loss.item<float>(), triplets.Count);
    }

    private Tensor Dropout(Tensor x) => globalDropout ? nn.functional.dropout(x, Rate, training: true) : _dropout.Dropout(x, Rate);

    public Tensor Score(ScoreRequest request)
    {
        using var noGrad = no_grad();
        var scores = _users.index_select(0, tensor(request.UserIds)).mm(_items.t());
        return request.Candidates is { } c ? scores.gather(1, c) : scores;
    }

    public void SaveCheckpoint(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        CheckpointIO.WriteTensor(writer, "users", _users);
        CheckpointIO.WriteTensor(writer, "items", _items);
        CheckpointIO.WriteGenerator(writer, "sampling", _sampling);
        _dropout.Save(writer, "dropout");
        _adam.save_state_dict(writer);
    }

    public void LoadCheckpoint(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        CheckpointIO.ReadTensorInto(reader, "users", _users);
        CheckpointIO.ReadTensorInto(reader, "items", _items);
        CheckpointIO.ReadGeneratorInto(reader, "sampling", _sampling);
        _dropout.Load(reader, "dropout");
        _adam.load_state_dict(reader);
    }

    public void Dispose()
    {
        _adam?.Dispose();
        _sampler?.Dispose();
        _sampling?.Dispose();
        _dropout?.Dispose();
        _users?.Dispose();
        _items?.Dispose();
    }
}
