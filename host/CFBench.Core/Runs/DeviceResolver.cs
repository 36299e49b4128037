using TorchSharp;

namespace CFBench.Core.Runs;

/// <summary>Turns <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> into a device, checking that it exists.</summary>
public static class DeviceResolver
{
    public static torch.Device Resolve(string requested)
    {
        switch (requested.Trim().ToLowerInvariant())
        {
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            case var cuda when cuda.StartsWith("cuda", StringComparison.Ordinal):
                if (!torch.cuda.is_available())
                    throw new ArgumentException("--device cuda: no CUDA device is available to libtorch (is the CUDA libtorch on LD_LIBRARY_PATH?)");
                return new torch.Device(cuda);
            default:
                throw new ArgumentException($"--device: '{requested}' is not auto, cpu, cuda or cuda:N");
        }
    }
}
