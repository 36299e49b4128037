using CFBench.Contracts;

namespace CFBench.Core.Plugins;

// Placeholder: the plugins branch provides the implementation.
public static class ParameterResolver
{
    public static ModelParameters Resolve(ModelInfo info, string? variant, IReadOnlyDictionary<string, object> overrides) =>
        throw new NotImplementedException("ParameterResolver");
}
