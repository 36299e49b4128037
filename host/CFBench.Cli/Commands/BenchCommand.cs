using System.CommandLine;
using System.Diagnostics;
using CFBench.Contracts;
using CFBench.Core;
using CFBench.Core.Config;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Synthetic;
using CFBench.Core.Plugins;
using CFBench.Core.Protocols;
using CFBench.Core.Runs;
using CFBench.Core.Training;
using Spectre.Console;
using TorchSharp;

namespace CFBench.Cli.Commands;

/// <summary>
/// <c>cfbench bench</c>: times a model's training epochs and one full-ranking evaluation of every test user on a
/// dataset, warm-up excluded. Nothing is recorded in the run store; figures are printed.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CommandHost host)
    {
        var model = new Option<string>("--model") { Description = "Model name, or NAME/VARIANT (see `cfbench models`)", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset name (see `cfbench data list`)" };
        var synthetic = new Option<string>("--synthetic")
        {
            Description = "Instead of --dataset: a seeded random matrix USERS,ITEMS,INTERACTIONS (e.g. 136677,20108,10000000, " +
                          "ML-20M's size) with 10,000 validation and 10,000 test users held out (a tenth of the users at most)",
        };
        var epochs = new Option<int>("--epochs") { Description = "Timed training epochs (0: time only the evaluation, of the untrained model)", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up epochs before the timed ones", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N", DefaultValueFactory = _ => "auto" };
        var seed = new Option<long>("--seed") { Description = "Seed of initialisation and sampling", DefaultValueFactory = _ => 2020 };
        var protocolName = new Option<string?>("--protocol")
        {
            Description = "Evaluate under this protocol of bench.json (e.g. ncf-official: the sampled candidates); default: full ranking at K=20. " +
                          "Training uses the protocol's training set with best-epoch selection on the test set (no validation split is held out)",
        };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch (0: its default)", DefaultValueFactory = _ => 0 };
        var parameters = new Option<string[]>("--param")
        {
            Description = "Hyper-parameter override NAME=VALUE (repeatable)",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var command = new Command("bench", "Time a model on a dataset: seconds per training epoch (warm-up excluded) and seconds for a full-ranking " +
                                           "evaluation of all test users (K=20; held-out test users scored from their fold-in items when the " +
                                           "data has them), or one under --protocol. Prints the figures; records nothing.")
        {
            model, dataset, synthetic, epochs, warmup, device, seed, protocolName, threads, parameters,
        };
        host.SetAction(command, (result, context, cancel) => Run(context, result.GetValue(model)!,
            new DataChoice(result.GetValue(dataset), result.GetValue(synthetic)),
            result.GetValue(epochs), result.GetValue(warmup), result.GetValue(device)!, result.GetValue(seed), result.GetValue(protocolName), result.GetValue(threads),
            result.GetValue(parameters)!, cancel));
        return command;
    }

    /// <summary>The data to time on: a named dataset or a synthetic matrix (exactly one).</summary>
    private sealed record DataChoice(string? Dataset, string? Synthetic)
    {
        public InteractionDataset Load(CliContext context, long seed)
        {
            if ((Dataset is null) == (Synthetic is null)) throw new ArgumentException("give one of --dataset NAME or --synthetic USERS,ITEMS,INTERACTIONS");
            if (Dataset is not null) return context.Datasets.Load(Dataset);
            var (users, items, interactions) = SyntheticDataset.ParseSize(Synthetic!);
            return SyntheticDataset.Create(users, items, interactions, seed);
        }
    }

    private static int Run(CliContext context, string modelName, DataChoice dataChoice, int epochs, int warmup, string deviceName,
        long seed, string? protocolName, int threads, string[] parameterTexts, CancellationToken cancel)
    {
        if (epochs < 0) throw new ArgumentException("--epochs must be 0 or more");
        if (warmup < 0) throw new ArgumentException("--warmup must be 0 or more");
        if (threads > 0) torch.set_num_threads(threads);
        var console = context.Console;
        var device = DeviceResolver.Resolve(deviceName);
        var (name, variant) = modelName.Split('/', 2) is [var n, var v] ? (n, v) : (modelName, null);
        var catalogModel = context.Catalog.Find(name);
        var overrides = parameterTexts.Select(ParseParameter).ToDictionary(p => p.Key, p => p.Value);
        var resolved = ParameterResolver.Resolve(catalogModel.Info, variant, overrides);

        var loadWatch = Stopwatch.StartNew();
        var data = dataChoice.Load(context, seed);
        var datasetName = data.Name;
        var loadSeconds = loadWatch.Elapsed.TotalSeconds;
        var protocol = ProtocolFactory.Create(BenchProtocol(context.Config, protocolName, heldOutUsers: data.TestUsers is not null));
        var plan = protocol.Plan(data, seed);

        console.MarkupLineInterpolated($"bench {catalogModel.Info.Name}{(variant is null ? "" : "/" + variant)} on {datasetName} ({data.Users:N0} users, {data.Items:N0} items, {plan.Train.Interactions:N0} training interactions), device {device}, torch threads {torch.get_num_threads()}");
        try
        {
            return Measure(console, catalogModel, variant, datasetName, resolved, data, protocol, plan, device, seed, epochs, warmup, loadSeconds, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UserException($"{catalogModel.Info.Name} (plugin {catalogModel.Source.AssemblyPath}): {e.GetType().Name}: {ErrorText.FirstLine(e.Message)}");
        }
    }

    private static int Measure(IAnsiConsole console, CatalogModel catalogModel, string? variant, string datasetName, ModelParameters resolved,
        Core.Datasets.InteractionDataset data, IProtocol protocol, EvaluationPlan plan, torch.Device device, long seed, int epochs, int warmup,
        double loadSeconds, CancellationToken cancel)
    {
        var initWatch = Stopwatch.StartNew();
        using var recommender = catalogModel.Provider.Create();
        recommender.Initialize(plan.Train, resolved, new RunContext(device, seed, message => console.MarkupLineInterpolated($"[grey]  {ErrorText.Printable(message)}[/]")));
        Synchronize(device);
        var initSeconds = initWatch.Elapsed.TotalSeconds;

        var memory = new MemoryProbe(device);
        var timed = new List<double>();
        for (int e = 1; epochs > 0 && e <= warmup + epochs; e++)
        {
            cancel.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var report = recommender.TrainEpoch(cancel);
            Synchronize(device);
            var seconds = watch.Elapsed.TotalSeconds;
            bool isWarmup = e <= warmup;
            if (!isWarmup) timed.Add(seconds);
            console.WriteLine($"epoch {e}{(isWarmup ? " (warm-up)" : "")}: {seconds:F3} s, loss {report.Loss:F5}, {report.Samples / seconds:N0} samples/s");
        }

        protocol.Evaluate(recommender, plan.Test, device, cancel); // warm-up
        var evalWatch = Stopwatch.StartNew();
        var evaluation = protocol.Evaluate(recommender, plan.Test, device, cancel);
        Synchronize(device);
        var evalSeconds = evalWatch.Elapsed.TotalSeconds;
        var peak = memory.Peak();

        var epochFigures = timed.Count == 0 ? "" : $"sec_per_epoch={timed.Average():F3} min={timed.Min():F3} max={timed.Max():F3} ";
        console.WriteLine($"BENCH model={catalogModel.Info.Name}{(variant is null ? "" : "/" + variant)} dataset={datasetName} device={device} " +
                          $"protocol={protocol.Options.Name} {epochFigures}eval_all_users_s={evalSeconds:F3} " +
                          $"users_evaluated={evaluation.Users.Length} load_s={loadSeconds:F2} init_s={initSeconds:F2} peak_memory_mb={(peak < 0 ? -1 : peak / (1024 * 1024))} " +
                          string.Join(" ", evaluation.Means.Select(m => $"{m.Key}={m.Value:F4}")));
        return 0;
    }

    /// <summary>The protocol a bench evaluates under: bench.json's <paramref name="name"/> with test selection (a bench
    /// trains on the whole training set), or full ranking at K=20.</summary>
    public static ProtocolOptions BenchProtocol(BenchConfig config, string? name, bool heldOutUsers = false)
    {
        // Data with held-out users (strong generalization) is timed on them: scored from their fold-in items.
        if (name is null)
            return new ProtocolOptions { Name = heldOutUsers ? StrongGeneralizationProtocol.ProtocolName : "full-ranking", K = new[] { 20 }, Selection = ModelSelection.Test };
        if (!config.Protocols.TryGetValue(name, out var declared))
            throw new UserException($"--protocol: no protocol '{name}' in {config.SourcePath}; protocols: {string.Join(", ", config.Protocols.Keys)}");
        return declared.ToOptions() with { Selection = ModelSelection.Test };
    }

    private static void Synchronize(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }

    private static KeyValuePair<string, object> ParseParameter(string text)
    {
        var cut = text.IndexOf('=');
        if (cut <= 0) throw new ArgumentException($"--param '{text}': expected NAME=VALUE");
        // Values stay text: HyperParameter.Validate converts them to the declared type.
        return new(text[..cut], text[(cut + 1)..]);
    }
}
