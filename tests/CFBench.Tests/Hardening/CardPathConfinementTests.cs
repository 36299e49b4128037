using System.Diagnostics;
using CFBench.Core.Datasets;
using CFBench.Tests.Datasets;

namespace CFBench.Tests.Hardening;

/// <summary>Issue #15.4: every path a dataset card names resolves under its dataset folder (links followed), only
/// regular files are read, and no message shows content of a file outside it.</summary>
public class CardPathConfinementTests
{
    // Shaped like a rating log line, so that a reader that opened it would quote its first field in the error.
    private const string Secret = "SECRET-42\t1\t1\t1";

    /// <summary>A data root with a valid lightgcn dataset 'tiny', and a secret file beside (outside) the data root.</summary>
    private static (DatasetFixtures.Layout Layout, string Outside) Workspace()
    {
        var layout = new DatasetFixtures.Layout();
        layout.DataFile("tiny", "train.txt", "0 1 2\n1 0\n");
        layout.DataFile("tiny", "test.txt", "0 0\n1 2\n");
        var outside = DatasetFixtures.Write(Path.Combine(layout.Root, "outside"), "x", Secret + "\n");
        return (layout, outside);
    }

    private static DatasetException LoadFails(DatasetFixtures.Layout layout, DatasetCard card)
    {
        var folder = Path.Combine(layout.Cards, card.Name);
        Directory.CreateDirectory(folder);
        DatasetCards.Write(Path.Combine(folder, DatasetCards.FileName), card);
        var e = Assert.Throws<DatasetException>(() => layout.Registry().Load(card.Name));
        Assert.DoesNotContain("SECRET", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static DatasetCard Tiny(string train, string? directory = null) => new()
    {
        Name = "tiny", Format = "lightgcn", Directory = directory,
        Files = new[] { new DatasetFile(train), new DatasetFile("test.txt") },
    };

    private static DatasetCard RawLog(string file) => new() { Name = "tiny", Format = "raw", Files = new[] { new DatasetFile(file) } };

    [Fact]
    public void AFileNameClimbingOutOfTheDataFolderIsRefused()
    {
        var (layout, _) = Workspace();
        var e = LoadFails(layout, RawLog("../../outside/x"));
        Assert.Equal($"dataset 'tiny': file '../../outside/x' resolves outside {Path.Combine(layout.Data, "tiny")} " +
            $"(to {Path.Combine(layout.Root, "outside", "x")}); a card may only name files under it", e.Message);
    }

    [Fact]
    public void AnAbsoluteFileNameIsRefused()
    {
        var (layout, outside) = Workspace();
        Assert.Contains("must be a path relative to", LoadFails(layout, RawLog(outside)).Message);
        Assert.Contains("'/etc/passwd' must be a path relative to", LoadFails(layout, RawLog("/etc/passwd")).Message);
    }

    [Fact]
    public void ADirectoryOutsideTheDataRootIsRefused()
    {
        var (layout, _) = Workspace();
        DatasetFixtures.Write(Path.Combine(layout.Root, "outside"), "train.txt", Secret + "\n");
        DatasetFixtures.Write(Path.Combine(layout.Root, "outside"), "test.txt", Secret + "\n");
        var e = LoadFails(layout, Tiny("train.txt", directory: "../outside"));
        Assert.Contains("directory '../outside' resolves outside", e.Message);
    }

    [Fact]
    public void ASymbolicLinkLeavingTheDataRootIsRefused()
    {
        var (layout, outside) = Workspace();
        var train = Path.Combine(layout.Data, "tiny", "train.txt");
        File.Delete(train);
        File.CreateSymbolicLink(train, outside);
        var e = LoadFails(layout, Tiny("train.txt"));
        Assert.Contains("resolves outside", e.Message);

        // A linked folder leaving the root is refused too; one staying inside is followed.
        Directory.CreateSymbolicLink(Path.Combine(layout.Data, "away"), Path.Combine(layout.Root, "outside"));
        Assert.Contains("resolves outside", LoadFails(layout, Tiny("train.txt", directory: "away")).Message);
        File.Delete(train);
        File.WriteAllText(train, "0 1 2\n1 0\n");
        Directory.CreateSymbolicLink(Path.Combine(layout.Data, "alias"), Path.Combine(layout.Data, "tiny"));
        var card = Tiny("train.txt", directory: "alias");
        DatasetCards.Write(Path.Combine(layout.Cards, "tiny", DatasetCards.FileName), card);
        Assert.Equal(2, layout.Registry().Load("tiny").Users);
    }

    [Fact]
    public void AFifoIsNotReadAndVerifyRefusesDevZeroWithoutHanging()
    {
        var (layout, _) = Workspace();
        var train = Path.Combine(layout.Data, "tiny", "train.txt");
        File.Delete(train);
        using (var mkfifo = Process.Start("mkfifo", train)) mkfifo.WaitForExit();
        var e = LoadFails(layout, Tiny("train.txt"));
        Assert.Contains("is not a regular file", e.Message);

        // The CLI: a card naming /dev/zero (through a link inside the folder, and directly) is refused, unread.
        File.Delete(train);
        File.CreateSymbolicLink(train, "/dev/zero");
        File.WriteAllText(Path.Combine(layout.Root, "bench.json"), """{ "cacheDir": "cache", "protocols": {}, "suites": {} }""");
        var cards = Path.Combine(layout.Root, "datasets", "tiny");
        Directory.CreateDirectory(cards);
        DatasetCards.Write(Path.Combine(cards, DatasetCards.FileName), Tiny("train.txt") with
        {
            Files = new[] { new DatasetFile("train.txt"), new DatasetFile("test.txt"), new DatasetFile("/dev/zero") },
        });
        var (code, output) = CliProcess.Run(layout.Root, TimeSpan.FromMinutes(2), "data", "verify", "tiny", "--data", layout.Data);
        Assert.Equal(1, code);
        Assert.Contains("2 refused", output);
        (code, output) = CliProcess.Run(layout.Root, TimeSpan.FromMinutes(2), "data", "show", "tiny", "--data", layout.Data);
        Assert.Equal(2, code);
        Assert.Contains("resolves outside", output.ReplaceLineEndings(" "));
    }
}
