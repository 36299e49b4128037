using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CFBench.Core.Reporting.Exporters;

/// <summary>
/// Finds report templates by name (e.g. <c>suite.html.sbn</c>): in the given folders, first match wins, then the
/// copies of reports/templates/ embedded in this assembly. Templates may <c>include</c> others by name.
/// </summary>
public sealed class ReportTemplates : ITemplateLoader
{
    private const string ResourcePrefix = "CFBench.Reporting.Templates.";
    private readonly IReadOnlyList<string> _directories;

    public ReportTemplates(IEnumerable<string?> directories) =>
        _directories = directories.Where(d => d is not null).Select(d => Path.GetFullPath(d!)).ToList();

    /// <summary>Only the embedded templates.</summary>
    public static ReportTemplates Embedded { get; } = new(Array.Empty<string?>());

    /// <summary>The template's text and where it came from (a file path or <c>embedded:NAME</c>).</summary>
    public (string Text, string Source) Find(string name)
    {
        if (name.Contains('/') || name.Contains('\\') || name.Contains(".."))
            throw new InvalidDataException($"template name '{name}' must be a plain file name");
        foreach (var dir in _directories)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return (File.ReadAllText(path), path);
        }
        using var stream = typeof(ReportTemplates).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new FileNotFoundException($"report template '{name}' not found in {(_directories.Count == 0 ? "the embedded templates" : string.Join(", ", _directories) + " or the embedded templates")}");
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), "embedded:" + name);
    }

    /// <summary>Parses and renders <paramref name="name"/> with <paramref name="model"/> as its global object.
    /// Parse and runtime errors become one-line <see cref="InvalidDataException"/>s naming the template.</summary>
    public string Render(string name, object model)
    {
        var (text, source) = Find(name);
        var template = Template.Parse(text, source);
        if (template.HasErrors)
            throw new InvalidDataException($"{source}: {template.Messages.First(m => m.Type == ParserMessageType.Error)}");
        var globals = new ScriptObject();
        globals.Import(model);
        var context = new TemplateContext
        {
            TemplateLoader = this,
            LoopLimit = 0,            // tables may have more rows than Scriban's default of 1000
            StrictVariables = true,   // a misspelt member is an error, not an empty cell
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new InvalidDataException($"{source}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => Find(templatePath).Text;

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Find(templatePath).Text);
}
