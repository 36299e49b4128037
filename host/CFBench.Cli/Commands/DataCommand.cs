using System.CommandLine;
using Spectre.Console;

namespace CFBench.Cli.Commands;

public static class DataCommand
{
    public static Command Create(CommandHost host)
    {
        var command = new Command("data", "(not yet implemented)");
        host.SetAction(command, (result, context, cancel) =>
        {
            context.Console.MarkupLine("[red]not yet implemented[/]");
            return 1;
        });
        return command;
    }
}
