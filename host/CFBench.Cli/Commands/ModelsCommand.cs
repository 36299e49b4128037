using System.CommandLine;
using System.Globalization;
using CFBench.Contracts;
using CFBench.Core.Plugins;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench models</c>: the models the plugin catalog found, with their variants and hyper-parameters.</summary>
public static class ModelsCommand
{
    public static Command Create(CommandHost host)
    {
        var name = new Argument<string?>("model")
        {
            Description = "Show only this model (case-insensitive); all models when left out",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("models",
            "List the models found in the plugin folders (--plugins, bench.json's plugins, and the default build output " +
            "artifacts/bin/cfbench/plugins): name, family, paper, plugin assembly and version, whether the model is inductive " +
            "(scores users from their interactions rather than learned per-user parameters), its variants and its " +
            "hyper-parameters with type, default, range or choices. Plugins that could not be loaded are listed with the reason.")
        {
            name,
        };
        host.SetAction(command, (result, context, cancel) =>
        {
            var catalog = context.Catalog;
            var models = result.GetValue(name) is { } only ? new[] { catalog.Find(only) } : catalog.Models.ToArray();
            var console = context.Console;
            if (models.Length == 0)
            {
                console.MarkupLine("[yellow]no models found[/] in the plugin folders:");
                foreach (var dir in context.PluginDirectories) console.WriteLine($"  {dir}");
                return 1;
            }
            console.Write(Summary(models));
            foreach (var model in models) WriteModel(console, model);
            return 0;
        });
        return command;
    }

    private static Table Summary(IEnumerable<CatalogModel> models)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]models[/]");
        table.AddColumns("Model", "Family", "Inductive", "Plugin", "Variants");
        foreach (var m in models)
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(m.Info.Name)}[/]"),
                new Text(m.Info.Family),
                new Text(m.Info.Inductive ? "yes" : "no"),
                new Text($"{Path.GetFileNameWithoutExtension(m.Source.AssemblyPath)} {m.Source.Version.Split('+')[0]}"),
                new Text(m.Info.Variants.Count == 0 ? "-" : string.Join(", ", m.Info.Variants.Select(v => v.Name))));
        return table;
    }

    private static void WriteModel(IAnsiConsole console, CatalogModel model)
    {
        var info = model.Info;
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(info.Name)}[/]").LeftJustified());
        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        facts.AddRow(new Text("family"), new Text(info.Family));
        facts.AddRow(new Text("paper"), new Text(info.Paper));
        facts.AddRow(new Text("inductive"), new Text(info.Inductive ? "yes (scores users from their interactions, held-out users too)" : "no (learned per-user parameters: cannot score held-out users)"));
        facts.AddRow(new Text("plugin"), new Text(model.Source.AssemblyPath));
        facts.AddRow(new Text("version"), new Text($"{model.Source.Version} (contract {model.Source.ContractVersion}, sha256 {model.Source.Sha256[..16]}…)"));
        facts.AddRow(new Text("about"), new Text(info.Description));
        console.Write(facts);

        if (info.Parameters.Count == 0)
        {
            console.MarkupLine("[grey]no hyper-parameters[/]");
        }
        else
        {
            var parameters = new Table().Border(TableBorder.Simple).Title("hyper-parameters");
            parameters.AddColumns("Name", "Type", "Default", "Range / choices", "Description");
            foreach (var p in info.Parameters)
                parameters.AddRow(new Text(p.Name), new Text(TypeName(p)), new Text(Format(p.Default)),
                    new Text(Range(p)), new Text(p.Doc + (p.AffectsResult ? "" : " (speed only: not part of the run key)")));
            console.Write(parameters);
        }

        if (info.Variants.Count == 0)
        {
            console.MarkupLine("[grey]no variants (the defaults are the model)[/]");
        }
        else
        {
            var variants = new Table().Border(TableBorder.Simple).Title("variants");
            variants.AddColumns("Variant", "Values", "Starts from", "Description");
            foreach (var v in info.Variants)
                variants.AddRow(new Text(v.Name),
                    new Text(string.Join(", ", v.Parameters.Select(kv => $"{kv.Key}={Format(kv.Value)}"))),
                    new Text(v.RequiredRoles.Count == 0 ? "-" : string.Join(", ", v.RequiredRoles)),
                    new Text(v.Description));
            console.Write(variants);
        }
    }

    private static string TypeName(HyperParameter p) => p.Kind switch
    {
        ParameterKind.IntList => "int list",
        ParameterKind.FloatList => "float list",
        _ => p.Kind.ToString().ToLowerInvariant(),
    };

    private static string Range(HyperParameter p) => p.Kind switch
    {
        ParameterKind.Choice => string.Join(" | ", p.Choices ?? Array.Empty<string>()),
        ParameterKind.Bool => "true | false",
        _ when p.Min is null && p.Max is null => p.IsList ? $"any{Count(p)}" : "any",
        _ => $"{(p.IsList ? "each in " : "")}[{(p.Min is { } lo ? Format(lo) : "-∞")}, {(p.Max is { } hi ? Format(hi) : "∞")}]{Count(p)}",
    };

    private static string Count(HyperParameter p) =>
        !p.IsList || (p.MinCount == 0 && p.MaxCount == int.MaxValue) ? ""
        : p.MaxCount == int.MaxValue ? $", at least {p.MinCount} element(s)"
        : $", {p.MinCount}–{p.MaxCount} element(s)";

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("G", CultureInfo.InvariantCulture),
        string s => s,
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(Format)) + "]",
        float f => f.ToString("G", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
