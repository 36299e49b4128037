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

    private static (int Exit, string Output) Cfbench(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.TempDirectory(),
        };
        start.ArgumentList.Add(RepoPaths.Cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cfbench {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
