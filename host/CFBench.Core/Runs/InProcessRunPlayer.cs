using CFBench.Contracts;
using CFBench.Core.Datasets;
using CFBench.Core.Protocols;
using CFBench.Core.Training;
using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>Plays a run in this process: plans the protocol, creates and initialises the model, and trains it
/// (resuming from the last checkpoint in <c>checkpointDirectory</c> when one is there) up to the test grading.</summary>
public sealed class InProcessRunPlayer : IRunPlayer
{
    public RunOutcome Play(PlannedRun run, InteractionDataset data, torch.Device device, string checkpointDirectory,
        ITrainingObserver observer, Action<string> log, CancellationToken cancel)
    {
        var spec = run.Spec;
        var protocol = ProtocolFactory.Create(spec.Protocol);
        var plan = protocol.Plan(data, spec.Seed);
        using var model = run.Model.Provider.Create();
        model.Initialize(plan.Train, run.Parameters, new RunContext(device, spec.Seed, log));
        var trainer = new Trainer(protocol, spec.Schedule, device, observer);
        return trainer.Run(model, plan, checkpointDirectory, cancel);
    }
}
