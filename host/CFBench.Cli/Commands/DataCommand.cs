using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CFBench.Core.Config;
using CFBench.Core.Datasets;
using CFBench.Core.Datasets.Export;
using CFBench.Core.Datasets.Readers;
using CFBench.Core.Datasets.Storage;
using CFBench.Core.Datasets.Subsets;
using CFBench.Core.Protocols;
using Spectre.Console;

namespace CFBench.Cli.Commands;

/// <summary><c>cfbench data list|show|verify|subset|export</c>: the dataset cards and the files behind them.</summary>
public static class DataCommand
{
    public static Command Create(CommandHost host)
    {
        var command = new Command("data", "Dataset cards (<card folder>/<name>/dataset.json) and their files: list, show, verify, subset, card, export.");
        command.Subcommands.Add(List(host));
        command.Subcommands.Add(Show(host));
        command.Subcommands.Add(Verify(host));
        command.Subcommands.Add(Subset(host));
        command.Subcommands.Add(Export(host));
        command.Subcommands.Add(DataCardCommand.Create(host));
        return command;
    }

    private static Command List(CommandHost host)
    {
        var command = new Command("list", "List the dataset cards: format, the card's statistics, and whether the files are present " +
            "(bundled ones ship beside their card, the others are looked for in <data root>/<name>/), and the folder each card was read " +
            "from (--datasets, bench.json datasets, the datasets/ folder beside bench.json).");
        host.SetAction(command, (result, context, cancel) =>
        {
            var registry = context.Datasets;
            var table = new Table().AddColumns("Dataset", "Format", "Users", "Items", "Interactions", "Files");
            foreach (var card in registry.Cards)
            {
                var s = card.Statistics;
                long? interactions = s?.Interactions ?? (s?.Train is { } tr ? tr + (s.Test ?? 0) : null);
                table.AddRow(Markup.Escape(card.Name), Markup.Escape(card.Format), N(s?.Users), N(s?.Items), N(interactions),
                    FilesState(registry, card));
            }
            context.Console.Write(table);
            foreach (var folder in registry.Cards.GroupBy(c => Path.GetDirectoryName(c.CardDirectory) ?? c.CardDirectory))
                context.Console.MarkupLineInterpolated($"[grey]cards in {folder.Key}: {string.Join(", ", folder.Select(c => c.Name))}[/]");
            context.Console.MarkupLineInterpolated($"[grey]data root: {registry.DataRoot ?? "(none: give --data, CFBENCH_DATA or bench.json dataRoot)"}[/]");
            return 0;
        });
        return command;
    }

    private static string FilesState(DatasetRegistry registry, DatasetCard card)
    {
        var files = registry.Locate(card);
        int present = files.Count(f => f.Exists);
        string where = card.Bundled ? "bundled" : "";
        if (!card.Bundled && registry.DataRoot is null) return "[grey]no data root[/]";
        return present == files.Count ? $"[green]present[/] {where}".TrimEnd()
            : present == 0 ? "[yellow]missing[/]"
            : $"[yellow]{present} of {files.Count}[/]";
    }

    private static Command Show(CommandHost host)
    {
        var name = new Argument<string>("name") { Description = "Dataset name (see `cfbench data list`)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Parse the files even when a cached parse exists (and rewrite the cache)" };
        var command = new Command("show", "Load a dataset (checksums verified, parsed or read from the cache) and print its measured " +
            "statistics beside the card's: users, items, train/test interactions, density, duplicates dropped, users without " +
            "test items, train/test overlap, and the reader's notes.") { name, noCache };
        host.SetAction(command, (result, context, cancel) =>
        {
            var datasetName = result.GetValue(name)!;
            context.Datasets.Find(datasetName); // reads the cards first, so the time below is the dataset's own
            var clock = Stopwatch.StartNew();
            var data = context.Datasets.Load(datasetName, !result.GetValue(noCache),
                message => context.Console.MarkupLineInterpolated($"[grey]{message}[/]"));
            var elapsed = clock.Elapsed;
            var card = data.Card;
            var s = data.Stats;
            var c = card.Statistics;
            context.Console.MarkupLineInterpolated($"[bold]{card.Name}[/] ({card.Format}) — {card.Description}");
            var table = new Table().AddColumns("Statistic", "Measured", "Card");
            var differences = new List<string>();
            void Row(Table rows, string label, long measured, long? card) => CompareRow(rows, label, measured, card, differences);
            var notes = s.Notes ?? new Dictionary<string, long>();
            // A raw card's statistics describe the log as published, before preprocessing and split.
            bool raw = card.Format == "raw";
            if (raw)
            {
                Row(table, "users in the log", notes.GetValueOrDefault("users in the log"), c?.Users);
                Row(table, "items in the log", notes.GetValueOrDefault("items in the log"), c?.Items);
                Row(table, "ratings read", notes.GetValueOrDefault("ratings read"), c?.Interactions);
            }
            Row(table, "users", s.Users, raw ? null : c?.Users);
            Row(table, "items", s.Items, raw ? null : c?.Items);
            Row(table, "train interactions", s.TrainInteractions, raw ? null : c?.Train);
            Row(table, "test interactions", s.TestInteractions, raw ? null : c?.Test);
            long all = data.Train.Count + (data.Test?.Count ?? 0)
                + (data.ValidationUsers is { } v ? v.FoldIn.Count + v.HeldOut.Count : 0)
                + (data.TestUsers is { } h ? h.FoldIn.Count + h.HeldOut.Count : 0);
            Row(table, "all interactions", all,
                raw ? null : c?.Interactions ?? (c?.Train is { } t ? t + (c.Test ?? 0) : null));
            double density = s.Users == 0 || s.Items == 0 ? 0 : all / ((double)s.Users * s.Items);
            table.AddRow("density", density.ToString("0.00000", CultureInfo.InvariantCulture), "");
            table.AddRow("duplicates dropped", N(s.DuplicatesDropped), "");
            table.AddRow("users without test items", N(s.UsersWithoutTest), "");
            table.AddRow("train/test overlap", N(s.TrainTestOverlap), "");
            if (data.TestNegatives is { } negatives) table.AddRow("test negatives", N(negatives.Count), "");
            string[] shownAbove = raw ? new[] { "users in the log", "items in the log", "ratings read" } : Array.Empty<string>();
            foreach (var (note, value) in notes.Where(n => !shownAbove.Contains(n.Key)))
                table.AddRow(Markup.Escape(note), N(value), "");
            context.Console.Write(table);
            foreach (var difference in differences)
                context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {difference} (check the card's statistics, or the files and their layout)");
            foreach (var (file, sha) in data.FileChecksums)
                context.Console.MarkupLineInterpolated($"[grey]{file}  sha256 {sha}[/]");
            context.Console.MarkupLineInterpolated($"[grey]fingerprint {data.Fingerprint}; loaded in {elapsed.TotalMilliseconds:0} ms[/]");
            if (card.Provenance is { Length: > 0 } provenance) context.Console.MarkupLineInterpolated($"provenance: {provenance}");
            if (card.Licence.Length > 0) context.Console.MarkupLineInterpolated($"licence: {card.Licence}");
            if (card.Paper.Length > 0) context.Console.MarkupLineInterpolated($"cite: {card.Paper}");
            return 0;
        });
        return command;
    }

    private static void CompareRow(Table table, string label, long measured, long? card, List<string> differences)
    {
        if (card is { } stated && stated != measured) differences.Add($"the card says {label} {N(stated)}, measured {N(measured)}");
        string cardText = card is { } value ? N(value) : "";
        string measuredText = card is { } expected && expected != measured ? $"[yellow]{N(measured)}[/]" : N(measured);
        table.AddRow(label, measuredText, cardText);
    }

    private static Command Verify(CommandHost host)
    {
        var name = new Argument<string?>("name") { Description = "Only this dataset (default: every dataset whose files are present)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Check every present file against its card's checksum (SHA-256, or the MD5 a source " +
            "publishes). A file whose path leaves the dataset folder (links followed) or that is not a regular file is refused, " +
            "unread. Exits 1 on a mismatch or a refused file, or when a named dataset's files are missing.") { name };
        host.SetAction(command, (result, context, cancel) =>
        {
            var registry = context.Datasets;
            var only = result.GetValue(name);
            var cards = only is null ? registry.Cards : new[] { registry.Find(only) };
            var table = new Table().AddColumns("Dataset", "File", "Check", "Checksum");
            int mismatches = 0, missing = 0, checkedFiles = 0, refused = 0;
            foreach (var card in cards)
                foreach (var (file, path, exists, problem) in registry.Locate(card))
                {
                    cancel.ThrowIfCancellationRequested();
                    if (problem is not null)
                    {
                        refused++;
                        table.AddRow(Markup.Escape(card.Name), Markup.Escape(file.Name), "[red]REFUSED[/]", Markup.Escape(problem));
                        continue;
                    }
                    if (!exists)
                    {
                        missing++;
                        if (only is not null) table.AddRow(Markup.Escape(card.Name), Markup.Escape(file.Name), "[yellow]missing[/]", Markup.Escape(path ?? "(no data root)"));
                        continue;
                    }
                    var check = FileChecksums.Check(file, path!);
                    checkedFiles++;
                    string status = check.Status switch
                    {
                        ChecksumStatus.Ok => $"[green]ok[/] ({check.Algorithm})",
                        ChecksumStatus.Mismatch => $"[red]MISMATCH[/] ({check.Algorithm})",
                        _ => "[yellow]no checksum in card[/]",
                    };
                    if (check.Status == ChecksumStatus.Mismatch) mismatches++;
                    string detail = check.Status == ChecksumStatus.Mismatch ? $"expected {check.Expected}, actual {check.Actual}" : check.Actual[..16] + "…";
                    table.AddRow(Markup.Escape(card.Name), Markup.Escape(file.Name), status, detail);
                }
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"{checkedFiles} file(s) checked, {mismatches} mismatch(es), {missing} missing, {refused} refused");
            if (only is not null && missing > 0 && registry.Find(only).Obtain is { Length: > 0 } obtain)
                context.Console.MarkupLineInterpolated($"get the missing files from: {obtain}");
            return mismatches > 0 || refused > 0 || (only is not null && missing > 0) ? 1 : 0;
        });
        return command;
    }

    private static Command Subset(CommandHost host)
    {
        var from = new Option<string>("--from") { Description = "Source dataset (a lightgcn-format card, e.g. gowalla)", Required = true };
        var users = new Option<int>("--users") { Description = "Users to draw (among those with training items)", Required = true };
        var minItemCount = new Option<int>("--min-item-count") { Description = "Keep items with at least this many training interactions among the drawn users", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed of the user draw (CFBench's own xoshiro256** stream)", DefaultValueFactory = _ => 2020 };
        var output = new Option<string>("--out") { Description = "Folder to write train.txt, test.txt, user_list.txt, item_list.txt and dataset.json into", Required = true };
        var name = new Option<string?>("--name") { Description = "Name of the new card (default: the --out folder's name)" };
        var command = new Command("subset", "Cut a small deterministic dataset out of a LightGCN-format one: a seeded sample of users with " +
            "their train/test items, items with fewer than --min-item-count training interactions among them dropped, ids " +
            "re-indexed, users left without a train or test item dropped. Writes the files and a bundled card with checksums, " +
            "statistics and the command that made it.") { from, users, minItemCount, seed, output, name };
        host.SetAction(command, (result, context, cancel) =>
        {
            var sourceName = result.GetValue(from)!;
            var outArgument = result.GetValue(output)!;
            var outDirectory = Path.GetFullPath(outArgument);
            var cardName = result.GetValue(name) ?? Path.GetFileName(outDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var options = new SubsetOptions(result.GetValue(users), result.GetValue(minItemCount), result.GetValue(seed));
            var source = context.Datasets.Load(sourceName, message => context.Console.MarkupLineInterpolated($"[grey]{message}[/]"));
            if (source.Card.Format != "lightgcn" || source.Test is null)
                throw new UserException($"subset: '{sourceName}' is a {source.Card.Format} dataset; only lightgcn train/test datasets can be subset");

            var subset = LightGcnSubset.Make(source.Train, source.Test, options);
            var fileNames = LightGcnSubset.Write(subset, outDirectory);
            var files = fileNames.Select(f =>
            {
                var hashes = FileChecksums.Compute(Path.Combine(outDirectory, f), withMd5: false);
                return new DatasetFile(f, hashes.Sha256, Bytes: hashes.Bytes);
            }).ToList();
            var commandLine = $"cfbench data subset --from {sourceName} --users {options.Users} --min-item-count {options.MinItemCount} " +
                $"--seed {options.Seed} --out {outArgument}" + (result.GetValue(name) is { } n ? $" --name {n}" : "");
            var sourceCard = source.Card;
            var card = new DatasetCard
            {
                Name = cardName,
                Format = "lightgcn",
                Description = $"A small deterministic subset of {sourceName} ({subset.Train.Rows:N0} users, {subset.Train.Columns:N0} items) " +
                    $"for quick runs and tests; not comparable with published {sourceName} figures.",
                Files = files,
                Sources = sourceCard.Sources,
                Statistics = new DatasetStatistics(subset.Train.Rows, subset.Train.Columns, subset.Train.Count, subset.Test.Count,
                    subset.Train.Count + subset.Test.Count),
                Licence = sourceCard.Licence,
                Paper = sourceCard.Paper,
                Bundled = true,
                Provenance = $"Made from {sourceName} (fingerprint {source.Fingerprint[..16]}; train.txt sha256 " +
                    $"{source.FileChecksums.GetValueOrDefault("train.txt")}) by `{commandLine}`: {options.Users} users drawn with " +
                    $"CFBench's seeded xoshiro256** stream among those with training items, items kept with at least " +
                    $"{options.MinItemCount} training interactions among the drawn users, then users without a train or test item left dropped " +
                    $"({subset.Counts["users dropped: no train item left"]} + {subset.Counts["users dropped: no test item left"]}), " +
                    $"users and items re-indexed in ascending {sourceName} id (user_list.txt, item_list.txt map back).",
            };
            DatasetCards.Write(Path.Combine(outDirectory, DatasetCards.FileName), card);

            // Read back what was written, so the card's statistics are those of the files.
            var check = LightGcnReader.Read(Path.Combine(outDirectory, "train.txt"), Path.Combine(outDirectory, "test.txt"));
            var table = new Table().AddColumns("", cardName);
            table.AddRow("users", N(check.Stats.Users));
            table.AddRow("items", N(check.Stats.Items));
            table.AddRow("train", N(check.Stats.TrainInteractions));
            table.AddRow("test", N(check.Stats.TestInteractions));
            foreach (var (key, value) in subset.Counts) table.AddRow(Markup.Escape(key), N(value));
            foreach (var f in files) table.AddRow(Markup.Escape(f.Name), $"{f.Bytes:N0} bytes");
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"wrote {outDirectory}");
            return 0;
        });
        return command;
    }

    private static Command Export(CommandHost host)
    {
        var name = new Argument<string>("name") { Description = "Dataset name (see `cfbench data list`)" };
        var output = new Option<string>("--out") { Description = "New or empty folder to write the parts and manifest.json into", Required = true };
        var suite = new Option<string?>("--suite")
        {
            Description = "Also write the split the suite's protocol draws for a run: fit (what the model trains on), validation, " +
                "and the negatives of the sampled protocol",
        };
        var seed = new Option<long?>("--seed") { Description = "The run's seed for --suite (default: the suite's seed, when it has only one)" };
        var command = new Command("export", "Write the exact split of a dataset as tab-separated user/item files with the ids of the " +
            "dataset's files: train, test (and its negatives), or the held-out users' fold-in and held-out items, as the card's split " +
            "draws them; with --suite, the fit/validation split a run of that suite draws with its seed. One file per part with a " +
            "header line, and manifest.json (dataset, source checksums, split and seed, counts, each file's SHA-256).")
            { name, output, suite, seed };
        host.SetAction(command, (result, context, cancel) =>
        {
            var datasetName = result.GetValue(name)!;
            var outDirectory = Path.GetFullPath(result.GetValue(output)!);
            var suiteName = result.GetValue(suite);
            if (suiteName is null && result.GetValue(seed) is not null)
                throw new UserException("--seed: only with --suite (the dataset's own split takes its seed from the card)");
            ProtocolSplit? protocolSplit = null;
            if (suiteName is not null)
            {
                var config = context.Config;
                if (!config.Suites.TryGetValue(suiteName, out var suiteConfig))
                    throw new UserException($"--suite: no suite '{suiteName}' in {config.SourcePath} (known: {string.Join(", ", config.Suites.Keys)})");
                if (!suiteConfig.Datasets.Contains(datasetName))
                    throw new UserException($"--suite: suite '{suiteName}' does not run on '{datasetName}' (its datasets: {string.Join(", ", suiteConfig.Datasets)})");
                var runSeed = result.GetValue(seed) ?? (suiteConfig.Seeds.Count == 1 ? suiteConfig.Seeds[0]
                    : throw new UserException($"--seed: suite '{suiteName}' runs seeds {string.Join(", ", suiteConfig.Seeds)}; give the run's seed"));
                protocolSplit = new ProtocolSplit(suiteName, runSeed, config.Protocols[suiteConfig.Protocol].ToOptions());
            }
            if (File.Exists(outDirectory) || (Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any()))
                throw new UserException($"--out: {outDirectory} is not a new or empty folder");

            var data = context.Datasets.Load(datasetName, message => context.Console.MarkupLineInterpolated($"[grey]{message}[/]"));
            var parts = SplitParts.OfDataset(data).ToList();
            if (protocolSplit is not null)
            {
                var plan = ProtocolFactory.Create(protocolSplit.Options).Plan(data, protocolSplit.Seed);
                var planParts = SplitParts.OfPlan(data, plan);
                // The protocol's negatives are what a run ranks against: they replace the dataset's file of the same part.
                parts.RemoveAll(p => planParts.Any(q => q.Name == p.Name));
                parts.AddRange(planParts);
            }
            SplitManifest manifest;
            try
            {
                manifest = SplitExport.Write(outDirectory, data, parts, protocolSplit);
            }
            catch (IOException e)
            {
                throw new UserException($"--out: {e.Message}");
            }

            var table = new Table().AddColumns("File", "Part", "Users", "Interactions").Title(Markup.Escape(datasetName));
            foreach (var file in manifest.Files)
                table.AddRow(file.File, Markup.Escape($"{file.Source}: {file.Description}"), N(file.Users), N(file.Interactions));
            context.Console.Write(table);
            if (protocolSplit is not null)
                context.Console.MarkupLineInterpolated($"protocol split: suite {suiteName}, {protocolSplit.Options.Name}, seed {protocolSplit.Seed}");
            context.Console.MarkupLineInterpolated($"wrote {manifest.Files.Count} part(s) and {SplitExport.ManifestFile} to {outDirectory}");
            return 0;
        });
        return command;
    }

    private static string N(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";
    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
