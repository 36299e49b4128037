using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>Plays a run in this process: plans the protocol, creates the model and initialises it with the weights of
/// the runs it starts from, trains it (resuming from the newest checkpoint the store vouches for) up to the test
/// grading, and saves its weights when it exports them (<see cref="IExportsWeights"/>) beside its checkpoints.</summary>
public sealed class InProcessRunPlayer : IRunPlayer
{
    public const string WeightsFileName = "weights.bin";

    public RunOutcome Play(PlannedRun run, InteractionDataset data, torch.Device device, RunInputs inputs,
        ITrainingObserver observer, Action<string> log, CancellationToken cancel)
    {
        var spec = run.Spec;
        var protocol = ProtocolFactory.Create(spec.Protocol);
        var plan = protocol.Plan(data, spec.Seed);
        using var model = run.Model.Provider.Create();
        var upstream = inputs.UpstreamWeights.ToDictionary(u => u.Key, u => WeightsFile.Read(u.Value, $"the weights of its '{u.Key}' run"));
        try
        {
            model.Initialize(plan.Train, run.Parameters, new RunContext(device, spec.Seed, log) { Upstream = upstream });
        }
        finally
        {
            foreach (var weights in upstream.Values) weights.Dispose();
        }
        var trainer = new Trainer(protocol, spec.Schedule, device, observer);
        var outcome = trainer.Run(model, plan, inputs.Checkpoints, cancel);
        if (model is not IExportsWeights exporter) return outcome;
        var weightsPath = Path.Combine(inputs.Checkpoints.Directory, WeightsFileName);
        WeightsFile.Write(weightsPath, exporter.ExportWeights());
        return outcome with { WeightsPath = weightsPath };
    }
}
