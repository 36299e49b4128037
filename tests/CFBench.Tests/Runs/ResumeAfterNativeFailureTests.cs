using System.Runtime.InteropServices;
using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Tracking;
using CFBench.Core.Training;
using CFBench.Tests.Protocols;
using TorchSharp;
using static TorchSharp.torch;

namespace CFBench.Tests.Runs;

/// <summary>A run whose attempt fails with a libtorch error after a new checkpoint resumes by itself from it
/// (<see cref="ResumableFailure"/>) and ends as if it had never stopped; other failures, or one that comes back before
/// any newer checkpoint, fail the run.</summary>
public class ResumeAfterNativeFailureTests
{
    /// <summary>Fails at the epochs in <see cref="FailAt"/> (each once, or every time with <see cref="Always"/>).</summary>
    private sealed class FlakyProvider(Func<Exception> failure) : IModelProvider
    {
        public List<int> FailAt { get; } = new();
        public bool Always { get; init; }
        public Exception Failure() => failure();
        public ModelInfo Info { get; } = new("Flaky", "test", "none", "fails at chosen epochs", Array.Empty<HyperParameter>(),
            new[] { new ModelVariant("v", "the only one", new Dictionary<string, object>()) });
        public IRecommender Create() => new Flaky(this);
    }

    /// <summary>Its loss and scores depend on every epoch trained so far and on the seed, so a resume that lost or
    /// repeated anything would show.</summary>
    private sealed class Flaky(FlakyProvider provider) : IRecommender
    {
        private Tensor _w = null!;
        private Generator _noise = null!;
        private int _epoch;

        public void Initialize(TrainingSet train, ModelParameters parameters, RunContext context)
        {
            using (var init = context.CreateGenerator()) _w = context.Normal(new long[] { train.Items }, 1, init);
            _noise = context.CreateGenerator(1);
        }

        public EpochReport TrainEpoch(CancellationToken cancel)
        {
            _epoch++;
            if (provider.FailAt.Contains(_epoch))
            {
                if (!provider.Always) provider.FailAt.Remove(_epoch);
                throw provider.Failure();
            }
            using var step = randn(_w.shape, generator: _noise);
            _w.add_(step, alpha: 0.1);
            return new EpochReport(_w.sum().item<float>(), 1);
        }

        public Tensor Score(ScoreRequest request) => _w.unsqueeze(0).expand(request.Count, -1);

        public void SaveCheckpoint(Stream stream)
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(_epoch);
            CheckpointIO.WriteTensor(writer, "w", _w);
            CheckpointIO.WriteGenerator(writer, "noise", _noise);
        }

        public void LoadCheckpoint(Stream stream)
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            _epoch = reader.ReadInt32();
            CheckpointIO.ReadTensorInto(reader, "w", _w);
            CheckpointIO.ReadGeneratorInto(reader, "noise", _noise);
        }

        public void Dispose() => _w?.Dispose();
    }

    /// <summary>What TorchSharp throws when libtorch fails.</summary>
    private static Exception LibTorchError()
    {
        try
        {
            using var two = ones(2);
            using var three = two.view(3);
        }
        catch (ExternalException e)
        {
            return e;
        }
        throw new InvalidOperationException("libtorch accepted a view of 2 elements as 3");
    }

    private sealed record Outcome(RunResult Result, RunRecord Record, List<string> Log);

    private static Outcome Execute(FlakyProvider provider, int retries = RunExecutor.DefaultRetries)
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), "bench.json");
        File.WriteAllText(path, """
            {
              "protocols": { "p": { "name": "full-ranking", "selection": "test", "k": [5], "metrics": ["recall"] } },
              "suites": { "s": { "datasets": ["tiny"], "protocol": "p", "seeds": [4],
                                 "schedule": { "epochs": 5, "evaluateEvery": 1 }, "models": [ { "model": "Flaky" } ] } }
            }
            """);
        var run = Assert.Single(new SuitePlanner(BenchConfigLoader.Load(path), PluginCatalog.Of(provider)).Plan("s", new SuiteFilter(), _ => "fp"));
        var data = ProtocolTestData.Random(users: 30, items: 20, seed: 2);
        var directory = RepoPaths.TempDirectory();
        using var store = RunStore.Open(Path.Combine(directory, "runs.db"));
        var log = new List<string>();
        var result = new RunExecutor(store, directory, new InProcessRunPlayer(), retries: retries)
            .Execute(run, data, CPU, rerun: false, new NoDisplay(), log.Add, CancellationToken.None);
        return new Outcome(result, store.FindByKey(run.Spec.Key)!, log);
    }

    [Fact]
    public void ALibTorchErrorAfterACheckpointResumesFromItAndTheRunEndsAsIfItHadNeverStopped()
    {
        var uninterrupted = Execute(new FlakyProvider(LibTorchError));
        var flaky = new FlakyProvider(LibTorchError);
        flaky.FailAt.Add(4);
        var resumed = Execute(flaky);

        Assert.Equal(RunResultKind.Finished, resumed.Result.Kind);
        Assert.Equal(2, resumed.Record.Attempts);
        Assert.Equal(1, uninterrupted.Record.Attempts);
        Assert.Contains(resumed.Log, line => line.StartsWith("attempt 1 failed: Flaky (plugin ") && line.Contains("ExternalException: shape '[3]' is invalid"));
        Assert.Contains("resuming from the checkpoint of epoch 3 in a new process (automatic resume 1 of at most 3; see --retries)", resumed.Log);
        Assert.Equal(uninterrupted.Record.Epochs.Select(e => (e.Epoch, e.Loss)), resumed.Record.Epochs.Select(e => (e.Epoch, e.Loss)));
        Assert.Equal(uninterrupted.Result.TestMetrics, resumed.Result.TestMetrics);
        Assert.Equal(uninterrupted.Record.BestEpoch, resumed.Record.BestEpoch);
    }

    [Fact]
    public void AFailureThatComesBackBeforeANewerCheckpointFailsTheRun()
    {
        var flaky = new FlakyProvider(LibTorchError) { Always = true };
        flaky.FailAt.Add(3);
        var outcome = Execute(flaky);

        Assert.Equal(RunResultKind.Failed, outcome.Result.Kind);
        Assert.Equal(RunStatus.Failed, outcome.Record.Status);
        Assert.Equal(2, outcome.Record.Attempts);
        Assert.Contains("ExternalException: shape '[3]' is invalid", outcome.Record.Error);
        Assert.Single(outcome.Log, line => line.StartsWith("resuming from the checkpoint of epoch 2"));
    }

    [Fact]
    public void AFailureInTheFirstEpochHasNoCheckpointToResumeFrom()
    {
        var flaky = new FlakyProvider(LibTorchError);
        flaky.FailAt.Add(1);
        var outcome = Execute(flaky);

        Assert.Equal(RunResultKind.Failed, outcome.Result.Kind);
        Assert.Equal(1, outcome.Record.Attempts);
        Assert.DoesNotContain(outcome.Log, line => line.StartsWith("resuming"));
    }

    [Fact]
    public void TheModelsOwnExceptionIsNeverResumed()
    {
        var flaky = new FlakyProvider(() => new InvalidOperationException("fixture: the model's own bug"));
        flaky.FailAt.Add(4);
        var outcome = Execute(flaky);

        Assert.Equal(RunResultKind.Failed, outcome.Result.Kind);
        Assert.Equal(1, outcome.Record.Attempts);
        Assert.Contains("InvalidOperationException: fixture: the model's own bug", outcome.Record.Error);
    }

    [Fact]
    public void RetriesBoundTheResumes()
    {
        var never = new FlakyProvider(LibTorchError);
        never.FailAt.Add(4);
        Assert.Equal(RunResultKind.Failed, Execute(never, retries: 0).Result.Kind);

        var twice = new FlakyProvider(LibTorchError);
        twice.FailAt.AddRange(new[] { 2, 3, 4 });
        var outcome = Execute(twice, retries: 2);
        Assert.Equal(RunResultKind.Failed, outcome.Result.Kind);
        Assert.Equal(3, outcome.Record.Attempts);
        Assert.Equal(2, outcome.Log.Count(line => line.StartsWith("resuming")));
    }
}
