using System.CommandLine;
using CFBench.Core;
using CFBench.Core.Config;
using CFBench.Core.Datasets;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CFBench.Cli;

/// <summary>
/// Runs a command's body with a <see cref="CliContext"/> and turns the errors users can cause (bad bench.json,
/// bad data, unknown names, an unusable database) into one red line and a non-zero exit code, never a stack trace.
/// </summary>
public sealed class CommandHost(IAnsiConsole console, ILoggerFactory loggers)
{
    public IAnsiConsole Console { get; } = console;
    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/> wrapped in the error handling.</summary>
    public void SetAction(Command command, Func<ParseResult, CliContext, CancellationToken, int> body) =>
        command.SetAction((result, cancel) => Task.FromResult(Invoke(result, body, cancel)));

    private int Invoke(ParseResult result, Func<ParseResult, CliContext, CancellationToken, int> body, CancellationToken cancel)
    {
        using var context = new CliContext(GlobalOptions.Read(result), Console);
        using var signals = new TerminationSignals(cancel);
        try
        {
            return body(result, context, signals.Token);
        }
        catch (OperationCanceledException)
        {
            Console.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {ErrorText.FirstLine(e.Message)}");
            return 2;
        }
        catch (Exception e)
        {
            // Not the user's doing (a bug, a native failure): still one line; CFBENCH_DEBUG=1 shows the trace.
            Console.MarkupLineInterpolated($"[red]internal error:[/] {e.GetType().Name}: {ErrorText.FirstLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("CFBENCH_DEBUG") == "1") Console.WriteException(e);
            else Console.MarkupLine("[grey](set CFBENCH_DEBUG=1 for the stack trace)[/]");
            return 3;
        }
    }

    /// <summary>Errors that are about the user's input or environment, reported in one line.</summary>
    public static bool IsUserError(Exception e) => e is ConfigException or DatasetException or KeyNotFoundException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
        or UserException or Core.Tracking.RunStoreException;
}

/// <summary>Any other problem the user can fix, reported as one line.</summary>
public sealed class UserException(string message) : Exception(message);
