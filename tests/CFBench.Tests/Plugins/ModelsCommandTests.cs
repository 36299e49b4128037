using System.Diagnostics;

namespace CFBench.Tests.Plugins;

/// <summary><c>cfbench models</c>, run as a user would (the built CLI in a child process).</summary>
public class ModelsCommandTests
{
    [Fact]
    public void ListsEveryModelWithVariantsAndHyperParameters()
    {
        var (exit, output) = Cfbench("models");
        Assert.Equal(0, exit);
        foreach (var expected in new[] { "MostPop", "BPR-MF", "EASE", "embedding_dim", "2048", "edge-permutation",
                     "lambda", "ml-20m", "netflix", "Baselines", "Steck" })
            Assert.Contains(expected, output);
    }

    [Fact]
    public void ShowsOneModelAndReportsSkippedPlugins()
    {
        var dir = RepoPaths.TempDirectory();
        var garbage = Path.Combine(dir, "Garbage", "Garbage.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(garbage)!);
        File.WriteAllText(garbage, "not an assembly");

        var (exit, output) = Cfbench("models", "EASE", "--plugins", dir);
        Assert.Equal(0, exit);
        Assert.Contains("plugin skipped:", output);
        Assert.Contains("Garbage.dll", output);
        Assert.Contains("lambda", output);
        Assert.DoesNotContain("embedding_dim", output);
    }

    [Fact]
    public void UnknownModelIsOneLineError()
    {
        var (exit, output) = Cfbench("models", "NoSuchModel");
        Assert.Equal(2, exit);
        Assert.Contains("unknown model 'NoSuchModel'", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static (int Exit, string Output) Cfbench(params string[] args) =>
        CliProcess.Run(RepoPaths.TempDirectory(), TimeSpan.FromMinutes(2), args);
}
