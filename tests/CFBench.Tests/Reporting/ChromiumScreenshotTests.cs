using System.Diagnostics;
using CFBench.Core.Reporting;

namespace CFBench.Tests.Reporting;

/// <summary>A fact that is skipped, with the reason, where Debian's <c>chromium</c> is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Executable { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Executable is null) Skip = "chromium is not installed (apt-get install -y chromium): headless rendering check skipped";
    }
}

public class ChromiumScreenshotTests
{
    [ChromiumFact]
    public void Headless_chromium_renders_the_report_without_errors()
    {
        var root = RepoPaths.TempDirectory();
        new ReportPublisher(Core.Reporting.Exporters.ReportTemplates.Embedded).Publish(
            LeaderboardHtmlTests.Render(ReportFixture.Records()).Board,   // with paper references, so red deltas show
            root, new[] { "html" }, new Dictionary<string, string>());
        var page = Path.Combine(root, ReportFixture.SuiteName, "index.html");
        var png = Path.Combine(root, "screenshot.png");

        var start = new ProcessStartInfo(ChromiumFactAttribute.Executable!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
                     $"--user-data-dir={Path.Combine(root, "profile")}", $"--screenshot={png}", "--window-size=1280,2000",
                     new Uri(page).AbsoluteUri,
                 })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 120 s");
        }
        var log = stderr.Result + stdout.Result;
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {log}");
        Assert.DoesNotContain("Uncaught", log);
        Assert.DoesNotContain(log.Split('\n'), l => l.Contains("CONSOLE") && l.Contains("ERROR", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("net::ERR_", log);

        // A PNG of the requested size: signature, then IHDR width and height (big-endian).
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(2000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));

        var keep = Environment.GetEnvironmentVariable("CFBENCH_REPORT_SCREENSHOT");
        if (!string.IsNullOrEmpty(keep)) File.Copy(png, keep, overwrite: true);
    }
}
