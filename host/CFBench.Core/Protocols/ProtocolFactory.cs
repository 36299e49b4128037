namespace CFBench.Core.Protocols;

/// <summary>Creates the protocol an options record names.</summary>
public static class ProtocolFactory
{
    public static IProtocol Create(ProtocolOptions options) => throw new NotImplementedException("ProtocolFactory");
}
