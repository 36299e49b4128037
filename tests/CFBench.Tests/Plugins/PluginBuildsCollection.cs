namespace CFBench.Tests.Plugins;

/// <summary>The test classes that build plugins in child <c>dotnet</c> processes run one at a time: on a 2-core machine
/// their builds would otherwise starve each other past their time limits.</summary>
[CollectionDefinition(Name)]
public sealed class PluginBuildsCollection
{
    public const string Name = "plugin builds";
}
