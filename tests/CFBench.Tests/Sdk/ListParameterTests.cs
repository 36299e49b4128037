using CFBench.Contracts;
using CFBench.Core.Config;
using CFBench.Core.Plugins;

namespace CFBench.Tests.Sdk;

/// <summary>List hyper-parameters (MLP layer sizes, per-layer dropout): parsed from JSON and from --param text,
/// validated element by element, with one-line errors.</summary>
public class ListParameterTests
{
    private static readonly HyperParameter Layers = HyperParameter.IntList("layers", new long[] { 64, 32, 16, 8 }, "MLP layers", 1, 4096, minCount: 1, maxCount: 5);
    private static readonly HyperParameter Dropout = HyperParameter.FloatList("dropout", new[] { 0.1, 0.1 }, "per layer", 0, 0.99);

    [Theory]
    [InlineData("[64,32,16,8]")]
    [InlineData("64, 32, 16, 8")]
    [InlineData(" [ 64 , 32,16 ,8 ] ")]
    public void TextFormsParse(string text) => Assert.Equal(new long[] { 64, 32, 16, 8 }, (long[])Layers.Validate(text));

    [Fact]
    public void JsonArraysFromBenchJsonParse()
    {
        using var json = System.Text.Json.JsonDocument.Parse("[128, 64.0, 32]");
        Assert.Equal(new long[] { 128, 64, 32 }, (long[])Layers.Validate(BenchConfigLoader.ToValue(json.RootElement)));
        Assert.Equal(new[] { 0.5, 0.25 }, (double[])Dropout.Validate(new object[] { 0.5, 0.25 }));
    }

    [Theory]
    [InlineData("[64, x, 8]", "parameter 'layers': element 1 'x' is not a valid integer")]
    [InlineData("[64, 0]", "parameter 'layers': element 1 0 is outside [1, 4096]")]
    [InlineData("[]", "parameter 'layers': 0 element(s), expected 1 to 5")]
    [InlineData("1,2,3,4,5,6", "parameter 'layers': 6 element(s), expected 1 to 5")]
    [InlineData("[64, 32.5]", "parameter 'layers': element 1 '32.5' is not a valid integer")]
    public void BadListsGetOneLineErrors(string text, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Layers.Validate(text));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void AListForAScalarParameterIsShownInFull()
    {
        var lr = HyperParameter.Float("lr", 0.001, "learning rate");
        var e = Assert.Throws<ArgumentException>(() => lr.Validate(new object[] { 0.1, 0.2 }));
        Assert.Equal("parameter 'lr': a list ([0.1, 0.2]) where one float is expected", e.Message);
    }

    [Fact]
    public void ResolvedListsComeBackAsCopies()
    {
        var info = new ModelInfo("M", "f", "p", "d", new[] { Layers }, new[] { new ModelVariant("deep", "5 layers", new Dictionary<string, object> { ["layers"] = "[256,128,64,32,16]" }) });
        ParameterResolver.CheckDeclaration(info);
        var resolved = ParameterResolver.Resolve(info, "deep", new Dictionary<string, object>());
        var layers = resolved.IntList("layers");
        Assert.Equal(new long[] { 256, 128, 64, 32, 16 }, layers);
        layers[0] = 1;
        Assert.Equal(256, resolved.IntList("layers")[0]);
        var e = Assert.Throws<ArgumentException>(() => ParameterResolver.Resolve(info, null, new Dictionary<string, object> { ["layers"] = "[8, -1]" }));
        Assert.Equal("model 'M': parameter 'layers': element 1 -1 is outside [1, 4096]", e.Message);
    }
}
