using System.Text.Json;
using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Plugins;
using CFBench.Tests.Runs;

namespace CFBench.Tests.Hardening;

/// <summary>Issue 15, item 12: bad values in bench.json get a whole one-line error, never a fragment or an internal error.</summary>
public class BadInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static string OneErrorLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal) || l.StartsWith("internal error:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("error:", line);
        return line;
    }

    [Fact]
    public void AJsonArrayForAScalarParameterIsNamedInFull()
    {
        var model = new ModelInfo("Toy", "test", "none", "a toy", new[] { HyperParameter.Float("lr", 0.001, "learning rate", 0, 1) },
            Array.Empty<ModelVariant>());
        var array = JsonDocument.Parse("[\n  0.01,\n  0.02\n]").RootElement;
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(model, null, new Dictionary<string, object> { ["lr"] = array }));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("parameter 'lr'", e.Message);
        Assert.Contains("a list ([0.01, 0.02]) where one float is expected", e.Message);
    }

    [Fact]
    public void AJsonArrayParameterInASuiteIsOneWholeErrorLine()
    {
        var workspace = new SuiteWorkspace("""
            { "model": "BPR-MF", "params": { "lr": [
                0.01,
                0.02
              ] } }
            """);
        var (code, output) = CliProcess.Run(workspace.Directory, Limit, "run", "--suite", "t");
        Assert.Equal(2, code);
        var line = OneErrorLine(output);
        Assert.Contains("'lr'", line);
        Assert.Contains("a list ([0.01, 0.02]) where one float is expected", line);
    }

    [Fact]
    public void ASuiteNameTooLongForAFolderIsAClearError()
    {
        var workspace = new SuiteWorkspace("""{ "model": "MostPop" }""");
        var name = new string('s', 300);
        var bench = Path.Combine(workspace.Directory, "bench.json");
        File.WriteAllText(bench, File.ReadAllText(bench).Replace("\"t\": {", $"\"{name}\": {{"));

        var e = Assert.Throws<ConfigException>(() => BenchConfigLoader.Load(bench));
        Assert.Contains("300 bytes", e.Message);

        var (code, output) = CliProcess.Run(workspace.Directory, Limit, "report", "--suite", name);
        Assert.Equal(2, code);
        Assert.Contains("300 bytes", OneErrorLine(output));
    }
}
