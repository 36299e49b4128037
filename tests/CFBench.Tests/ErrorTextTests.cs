using CFBench.Core;
using static TorchSharp.torch;

namespace CFBench.Tests;

public class ErrorTextTests
{
    [Fact]
    public void NativeErrorsKeepTheirFirstLine()
    {
        var e = Assert.ThrowsAny<Exception>(() => ones(2, 3).mm(ones(2, 3)));
        Assert.Contains("\n", e.Message);   // libtorch appends its C++ frames
        var line = ErrorText.FirstLine(e.Message);
        Assert.DoesNotContain("\n", line);
        Assert.Contains("cannot be multiplied", line);
    }

    [Fact]
    public void TorchScriptErrorsShowTheirCauseNotTheInterpreterHeader()
    {
        using var unit = jit.compile("def f(x: Tensor) -> Tensor:\n    return x.view(-1, 7)\n");
        var e = Assert.ThrowsAny<Exception>(() => unit.invoke("f", ones(10)));
        Assert.StartsWith("The following operation failed in the TorchScript interpreter.", e.Message);
        var line = ErrorText.FirstLine(e.Message);
        Assert.StartsWith("TorchScript: RuntimeError: ", line);
        Assert.Contains("shape '[-1, 7]' is invalid", line);
    }

    [Fact]
    public void ControlCharactersAreShownNotObeyed()
    {
        const string hostile = "\u001b[2J\u001b]0;title\u0007red\u009b31m\tend\r";
        Assert.Equal(@"\u001b[2J\u001b]0;title\u0007red\u009b31m end\u000d", ErrorText.Printable(hostile));
        Assert.Equal(@"\u001b[31mboom", ErrorText.FirstLine("\u001b[31mboom\n   at frame"));
        Assert.Equal("plain text, unchanged", ErrorText.Printable("plain text, unchanged"));
    }
}
