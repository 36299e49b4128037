using CFBench.Core.Runs;

namespace CFBench.Tests.Runs;

public class LibTorchVersionTests
{
    [Fact]
    public void APyTorchInstallsVersionFileNamesItsLibtorch()
    {
        var torch = Directory.CreateTempSubdirectory("cfbench-torch-").FullName;
        Directory.CreateDirectory(Path.Combine(torch, "lib"));
        var library = Path.Combine(torch, "lib", "libtorch_cpu.so");
        Assert.Null(LibTorchVersion.FromLoadedLibrary(library));   // no version.py: not a PyTorch install
        File.WriteAllText(Path.Combine(torch, "version.py"), "from typing import Optional\n__version__ = '2.11.0+cu130'\ncuda: Optional[str] = '13.0'\n");
        Assert.Equal("2.11.0+cu130", LibTorchVersion.FromLoadedLibrary(library));
        Assert.Null(LibTorchVersion.FromLoadedLibrary(null));
    }

    [Fact]
    public void TheNuGetLibtorchKeepsTorchSharpsFigure()
    {
        // The tests run on the libtorch-cpu NuGet package, which has no version.py: the figure is TorchSharp's.
        _ = TorchSharp.torch.ones(1);
        Assert.Equal(TorchSharp.torch.__version__, LibTorchVersion.Detect());
    }
}
