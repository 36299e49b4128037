namespace CFBench.Core.Tracking;

/// <summary>How a <see cref="RunStore"/> waits for other writers.</summary>
public sealed record RunStoreOptions
{
    /// <summary>How long a statement waits for another connection's lock before the store reports the database
    /// as locked. Rounded up to whole seconds for the driver's own retry loop.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static RunStoreOptions Default { get; } = new();
}
