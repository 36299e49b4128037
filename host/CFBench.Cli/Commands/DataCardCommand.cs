using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Splits;
using CFBench.Core.Datasets.Storage;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench data card</c>: writes a dataset card for files a user brings, with checksums, sizes and the
/// statistics measured by reading them with the card's own reader.</summary>
public static class DataCardCommand
{
    public static Command Create(CommandHost host)
    {
        var format = new Option<string>("--format") { Description = "Reader: lightgcn, ncf, raw (MovieLens u.data, ratings.dat, ratings.csv) or delimited (any layout: see --separator, --columns)", Required = true };
        var files = new Option<string[]>("--files") { Description = "The dataset's files (all in one folder: under the data root, or --out itself)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "The card's folder: dataset.json is written there (put it in a card folder: datasets/<name>/, or one given by --datasets)", Required = true };
        var name = new Option<string?>("--name") { Description = "The dataset's name (default: the --out folder's name)" };
        var separator = new Option<string>("--separator") { Description = "delimited: field separator: tab, comma, space (runs of spaces and tabs), or the literal text", DefaultValueFactory = _ => "tab" };
        var header = new Option<bool>("--header") { Description = "delimited: the files start with a header line" };
        var firstId = new Option<int>("--first-id") { Description = "delimited: ids count from 0 or 1", DefaultValueFactory = _ => 0 };
        var columns = new Option<string>("--columns") { Description = "delimited: the fields in order, comma-separated: user, item, rating (a rating or weight), timestamp, - (ignored)", DefaultValueFactory = _ => "user,item" };
        var train = new Option<string?>("--train") { Description = "delimited: the training file of a split given by the files (with --test)" };
        var test = new Option<string?>("--test") { Description = "delimited: the test file of a split given by the files (with --train)" };
        var command = new Command("card", "Write a dataset card for your own files: format (and layout), every file with its SHA-256 and size, " +
            "and the statistics measured by reading them (users, items, train/test interactions; for logs, the log as read). Edit the " +
            "description, sources, licence, preprocessing and split afterwards; `cfbench data show` then warns where the card's " +
            "statistics and the measured ones differ.")
        {
            format, files, output, name, separator, header, firstId, columns, train, test,
        };
        host.SetAction(command, (result, context, cancel) =>
        {
            var outDirectory = Path.GetFullPath(result.GetValue(output)!);
            var cardName = result.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(outDirectory));
            var paths = result.GetValue(files)!.Select(Path.GetFullPath).ToList();
            foreach (var path in paths.Where(p => !ConfinedPaths.IsRegularFile(p)))
                throw new UserException($"data card: {path} is not a regular file");
            var folders = paths.Select(p => Path.GetDirectoryName(p)!).Distinct().ToList();
            if (folders.Count != 1) throw new UserException($"data card: the files are in {folders.Count} folders ({string.Join(", ", folders)}); put them in one");
            var filesDirectory = folders[0];

            var formatName = result.GetValue(format)!;
            JsonObject? layout = null, split = null;
            if (formatName == "delimited")
            {
                layout = new DelimitedLayout
                {
                    Separator = result.GetValue(separator) switch { "tab" => "\t", "comma" => ",", "space" => DelimitedLayout.Whitespace, var literal => literal! },
                    Header = result.GetValue(header),
                    FirstId = result.GetValue(firstId),
                    Columns = result.GetValue(columns)!.Split(',', StringSplitOptions.TrimEntries),
                }.Check(cardName).ToJson();
                if (result.GetValue(train) is { } trainFile)
                    split = new JsonObject
                    {
                        ["type"] = SplitDeclaration.Given,
                        ["train"] = trainFile,
                        ["test"] = result.GetValue(test) ?? throw new UserException("data card: --train needs --test"),
                    };
            }
            else if (result.GetValue(train) is not null || result.GetValue(test) is not null)
                throw new UserException($"data card: --train and --test are for the delimited format, not {formatName}");

            var card = new DatasetCard
            {
                Name = cardName,
                Format = formatName,
                Description = $"Made by `cfbench data card` from {string.Join(", ", paths.Select(Path.GetFileName))}: describe the data here.",
                Files = paths.Select(p =>
                {
                    var hashes = FileChecksums.Compute(p, withMd5: false);
                    return new DatasetFile(Path.GetFileName(p), hashes.Sha256, Bytes: hashes.Bytes);
                }).ToList(),
                Layout = layout,
                Split = split,
            };
            card = Place(card, filesDirectory, outDirectory, context.DataRoot);

            var reader = DatasetReaders.For(card);
            var undeclared = reader.FilesToRead(card).Where(f => card.Files.All(d => d.Name != f)).ToList();
            if (undeclared.Count > 0)
                throw new UserException($"data card: the {formatName} reader reads {string.Join(", ", undeclared)}, which is not among --files");
            var parts = reader.Read(card, filesDirectory);
            var stats = parts.Stats;
            var notes = stats.Notes ?? new Dictionary<string, long>();
            bool log = notes.ContainsKey("ratings read");
            card = card with
            {
                Statistics = log
                    ? new DatasetStatistics((int)notes["users in the log"], (int)notes["items in the log"], Interactions: notes["ratings read"])
                    : new DatasetStatistics(stats.Users, stats.Items, stats.TrainInteractions, stats.TestInteractions,
                        stats.TrainInteractions + stats.TestInteractions),
            };
            Directory.CreateDirectory(outDirectory);
            var cardPath = Path.Combine(outDirectory, DatasetCards.FileName);
            if (File.Exists(cardPath)) throw new UserException($"data card: {cardPath} exists; delete it to write a new card");
            DatasetCards.Write(cardPath, card);

            var table = new Table().AddColumns("", cardName);
            var s = card.Statistics;
            table.AddRow(log ? "users in the log" : "users", N(s.Users));
            table.AddRow(log ? "items in the log" : "items", N(s.Items));
            if (!log)
            {
                table.AddRow("train", N(s.Train));
                table.AddRow("test", N(s.Test));
            }
            table.AddRow(log ? "ratings read" : "interactions", N(s.Interactions));
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"wrote {cardPath} ({card.Files.Count} file(s), files in {(card.Bundled ? "the card's folder (bundled)" : filesDirectory)})");
            return 0;
        });
        return command;
    }

    /// <summary>Where the card will find its files: beside it (bundled), or under the data root (its own folder, or a
    /// <c>directory</c> relative to the root).</summary>
    private static DatasetCard Place(DatasetCard card, string filesDirectory, string outDirectory, string? dataRoot)
    {
        var realFiles = ConfinedPaths.RealPath(filesDirectory);
        if (realFiles == ConfinedPaths.RealPath(outDirectory)) return card with { Bundled = true };
        if (dataRoot is not null && ConfinedPaths.IsUnder(ConfinedPaths.RealPath(dataRoot), realFiles))
        {
            var relative = Path.GetRelativePath(ConfinedPaths.RealPath(dataRoot), realFiles);
            return relative == card.Name ? card : card with { Directory = relative };
        }
        throw new UserException($"data card: the files are in {filesDirectory}, which is neither --out nor under the data root " +
            $"({dataRoot ?? "none: give --data"}); move them to <data root>/{card.Name}/ or write the card beside them");
    }

    private static string N(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";
}
