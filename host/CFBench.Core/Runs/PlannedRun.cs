using CFBench.Contracts;
using CFBench.Core.Plugins;

namespace CFBench.Core.Runs;

/// <summary>A run a suite asks for: its spec, the model that will play it, and its validated parameters.</summary>
public sealed record PlannedRun(RunSpec Spec, CatalogModel Model, ModelParameters Parameters);

/// <summary>Narrows a suite from the command line.</summary>
public sealed record SuiteFilter(string? Dataset = null, string? Model = null, IReadOnlyList<long>? Seeds = null, int? Epochs = null);
