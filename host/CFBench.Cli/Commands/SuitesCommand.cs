using System.CommandLine;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench suites</c>: the suites of bench.json and what each runs.</summary>
public static class SuitesCommand
{
    public static Command Create(CommandHost host)
    {
        var command = new Command("suites", "List the suites declared in bench.json: datasets, protocol, models and variants, seeds.");
        host.SetAction(command, (result, context, cancel) =>
        {
            var config = context.Config;
            var table = new Table().Border(TableBorder.Rounded).Title($"suites in {Markup.Escape(config.SourcePath)}");
            table.AddColumns("suite", "datasets", "protocol", "models", "seeds", "schedule");
            foreach (var (name, suite) in config.Suites)
            {
                var protocol = config.Protocols[suite.Protocol];
                var models = string.Join("\n", suite.Models.Select(m => m.Variants.Count == 0 ? m.Model : $"{m.Model} ({string.Join(", ", m.Variants)})"));
                var schedule = $"epochs {suite.Schedule.Epochs?.ToString() ?? "default"}, eval every {suite.Schedule.EvaluateEvery?.ToString() ?? "default"}" +
                               (suite.Schedule.Patience is > 0 ? $", patience {suite.Schedule.Patience}" : "");
                table.AddRow(
                    $"[bold]{Markup.Escape(name)}[/]\n[grey]{Markup.Escape(suite.Description)}[/]",
                    Markup.Escape(string.Join(", ", suite.Datasets)),
                    Markup.Escape($"{suite.Protocol}: {protocol.Name} @{string.Join(",", protocol.K ?? new[] { 20 })}, selection {protocol.Selection ?? "validation"}"),
                    Markup.Escape(models),
                    string.Join(",", suite.Seeds),
                    Markup.Escape(schedule));
            }
            context.Console.Write(table);
            return 0;
        });
        return command;
    }
}
