namespace CFBench.Contracts;

/// <summary>The plugin contract's version. It equals this assembly's version; plugins built against
/// another major version are refused by the host.</summary>
public static class ContractVersion
{
    public static Version Current => typeof(ContractVersion).Assembly.GetName().Version!;
    public static int Major => Current.Major;
}
