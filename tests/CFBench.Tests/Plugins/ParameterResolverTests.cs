using System.Text.Json;
using CFBench.Contracts;
using CFBench.Core.Plugins;

namespace CFBench.Tests.Plugins;

public class ParameterResolverTests
{
    private static readonly ModelInfo Model = new(
        "Toy", "test", "none", "a toy model",
        new[]
        {
            HyperParameter.Int("layers", 3, "number of layers", 1, 4),
            HyperParameter.Float("lr", 0.001, "learning rate", 0, 1),
            HyperParameter.Bool("dropout", false, "use dropout"),
            HyperParameter.Choice("norm", "sym", "normalisation", "sym", "left"),
        },
        new[]
        {
            new ModelVariant("K1", "one layer", new Dictionary<string, object> { ["layers"] = 1L }),
            new ModelVariant("K2-left", "two layers, left norm", new Dictionary<string, object> { ["layers"] = 2L, ["norm"] = "left" }),
        });

    private static readonly Dictionary<string, object> None = new();

    [Fact]
    public void DefaultsWhenNoVariantOrOverride()
    {
        var p = ParameterResolver.Resolve(Model, null, None);
        Assert.Equal(3, p.Int("layers"));
        Assert.Equal(0.001, p.Float("lr"));
        Assert.False(p.Bool("dropout"));
        Assert.Equal("sym", p.Choice("norm"));
    }

    [Fact]
    public void VariantThenOverridesWin()
    {
        var variant = ParameterResolver.Resolve(Model, "K2-left", None);
        Assert.Equal(2, variant.Int("layers"));
        Assert.Equal("left", variant.Choice("norm"));

        var overridden = ParameterResolver.Resolve(Model, "K2-left", new Dictionary<string, object> { ["layers"] = 4L, ["lr"] = 1L, ["dropout"] = "true" });
        Assert.Equal(4, overridden.Int("layers"));
        Assert.Equal("left", overridden.Choice("norm"));
        Assert.IsType<double>(overridden.Values["lr"]);
        Assert.Equal(1.0, overridden.Float("lr"));
        Assert.True(overridden.Bool("dropout"));
    }

    [Fact]
    public void AcceptsJsonValues()
    {
        using var doc = JsonDocument.Parse("""{ "layers": 2, "lr": 0.01 }""");
        var overrides = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        var p = ParameterResolver.Resolve(Model, null, overrides);
        Assert.Equal(2, p.Int("layers"));
        Assert.Equal(0.01, p.Float("lr"));
    }

    [Fact]
    public void UnknownVariantNamesItAndListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(Model, "K9", None));
        Assert.Contains("'K9'", e.Message);
        Assert.Contains("K1, K2-left", e.Message);
    }

    [Fact]
    public void UnknownParameterNamesItAndListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(Model, null, new Dictionary<string, object> { ["layer"] = 2L }));
        Assert.Contains("'layer'", e.Message);
        Assert.Contains("layers, lr, dropout, norm", e.Message);
    }

    [Theory]
    [InlineData("layers", 5L, "outside")]
    [InlineData("layers", 2.5, "not a valid int")]
    [InlineData("lr", -0.1, "outside")]
    [InlineData("norm", "right", "not one of")]
    [InlineData("dropout", "maybe", "not a valid bool")]
    public void InvalidOverridesAreRejected(string name, object value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(Model, null, new Dictionary<string, object> { [name] = value }));
        Assert.Contains(expected, e.Message);
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void DeclarationWithAnInvalidVariantIsRejected()
    {
        var broken = Model with
        {
            Variants = new[] { new ModelVariant("deep", "too deep", new Dictionary<string, object> { ["layers"] = 9L }) },
        };
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.CheckDeclaration(broken));
        Assert.Contains("variant 'deep'", e.Message);
        ParameterResolver.CheckDeclaration(Model);
    }
}
