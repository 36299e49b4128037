namespace CFBench.Core.Tracking;

/// <summary>The run store cannot be used: corrupt, not a CFBench store, newer than this build, locked, or an
/// unknown run. The message is one line and names the database file.</summary>
public sealed class RunStoreException(string message, Exception? inner = null) : Exception(message, inner);
