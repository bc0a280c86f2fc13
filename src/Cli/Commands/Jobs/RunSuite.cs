using System.Globalization;
using System.Text.Json;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;
using Spectre.Console;

namespace Hardware.Cli.Commands.Jobs;

/// <summary>
/// `hwstack run DIRECTORY`: every *.fio file in the folder (in name order), each on a fresh machine of the same spec,
/// reported as one table (one row a job) or, with json, as {"suite": [{"job_file", "result"}]}. Every file is parsed
/// before anything runs, so a bad file fails the suite at once.
/// </summary>
internal static class RunSuite
{
    /// <summary>Columns of the table when the output is not a terminal (a file, a pipe): wide enough not to wrap.</summary>
    private const int PlainWidth = 160;

    public static int Execute(string directory, MachineSpec machine, bool json, bool noColor, TextWriter output)
    {
        string[] files = Directory.GetFiles(directory, "*.fio").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new CliException($"{directory}: no *.fio job file in the folder");
        var parsed = files.Select(file => (File: file, Jobs: JobFileParser.ParseFile(file))).ToList();
        var results = parsed.Select(p => (p.File, Result: WorkloadRunner.Run(machine, p.Jobs))).ToList();
        foreach ((_, WorkloadResult result) in results)
            FioLogFile.WriteAll(result.Logs);
        if (json)
            output.WriteLine(Json(results, machine));
        else
            PrintTable(results, machine, noColor, output);
        return results.Any(r => r.Result.Jobs.Any(j => j.Errors > 0)) ? 1 : 0;
    }

    /// <summary>bs as people write it: 4k, 128k, 1m; a bssplit as 4k/50:64k/50.</summary>
    private static string BlockSizes(JobSpec spec) => spec.BlockSizes.Count == 1
        ? Size(spec.BlockSizes[0].Bytes)
        : string.Join(':', spec.BlockSizes.Select(b => $"{Size(b.Bytes)}/{b.Percent}"));

    private static string Size(int bytes) =>
        bytes % (1 << 20) == 0 ? $"{bytes >> 20}m" : bytes % 1024 == 0 ? $"{bytes >> 10}k" : bytes.ToString(CultureInfo.InvariantCulture);

    private static string Json(IReadOnlyList<(string File, WorkloadResult Result)> results, MachineSpec machine)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("suite");
            foreach ((string file, WorkloadResult result) in results)
            {
                json.WriteStartObject();
                json.WriteString("job_file", Path.GetFileName(file));
                json.WritePropertyName("result");
                FioJsonWriter.Write(json, result, machine);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void PrintTable(IReadOnlyList<(string File, WorkloadResult Result)> results, MachineSpec machine, bool noColor, TextWriter output)
    {
        IAnsiConsole console = Terminal.Create(output, noColor);
        bool plain = !console.Profile.Capabilities.Interactive;
        if (plain)
            console.Profile.Width = PlainWidth;
        var table = new Table().Title($"hwstack run: {machine.Device}, {machine.Scheduler}, fs {RunCommandText.FileSystem(machine.FileSystem)} (virtual time)")
            .AddColumn("job file").AddColumn("job").AddColumn("rw").AddColumn("bs").AddColumn(new TableColumn("QD").RightAligned())
            .AddColumn(new TableColumn("IOPS").RightAligned()).AddColumn(new TableColumn("MB/s").RightAligned())
            .AddColumn(new TableColumn("mean ms").RightAligned()).AddColumn(new TableColumn("p99 ms").RightAligned())
            .AddColumn(new TableColumn("max ms").RightAligned()).AddColumn(new TableColumn("errors").RightAligned());
        foreach ((string file, WorkloadResult result) in results)
        {
            foreach (JobResult job in result.Jobs)
            {
                var options = FioJsonWriter.JobOptions(job.Spec).ToDictionary(o => o.Name, o => o.Value);
                DirectionStats read = job.Read;
                DirectionStats write = job.Write;
                long ios = read.TotalIos + write.TotalIos;
                double meanNs = ios == 0 ? 0 : (read.Clat.Mean * read.TotalIos + write.Clat.Mean * write.TotalIos) / ios;
                long p99 = Math.Max(read.Clat.Percentiles.GetValueOrDefault("99.000000"), write.Clat.Percentiles.GetValueOrDefault("99.000000"));
                long max = Math.Max(read.Clat.Max, write.Clat.Max);
                table.AddRow(Markup.Escape(Path.GetFileName(file)), Markup.Escape(job.Name), options["rw"],
                    Markup.Escape(BlockSizes(job.Spec)),
                    (job.Spec.Engine == IoEngineKind.Sync ? 1 : job.Spec.IoDepth).ToString(CultureInfo.InvariantCulture),
                    (read.Iops + write.Iops).ToString("N0", CultureInfo.InvariantCulture),
                    ((read.BandwidthBytes + write.BandwidthBytes) / 1e6).ToString("F1", CultureInfo.InvariantCulture),
                    (meanNs / 1e6).ToString("F3", CultureInfo.InvariantCulture), (p99 / 1e6).ToString("F3", CultureInfo.InvariantCulture),
                    (max / 1e6).ToString("F3", CultureInfo.InvariantCulture), job.Errors.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (plain)
            table.Border(TableBorder.Ascii);
        console.WriteTable(table);
        double wall = results.Sum(r => r.Result.WallSeconds);
        double virtualSeconds = results.Sum(r => r.Result.VirtualSeconds);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Count} job files: {virtualSeconds:F3} s of virtual time in {wall:F2} s of wall time"));
        foreach (JobResult failed in results.SelectMany(r => r.Result.Jobs).Where(j => j.FirstError is not null))
            console.WriteLine($"{failed.Name}: {failed.FirstError}");
    }
}

internal static class RunCommandText
{
    public static string FileSystem(FileSystemKind kind) => kind switch
    {
        FileSystemKind.Ext2 => "ext2",
        FileSystemKind.RamFs => "ramfs",
        _ => "none",
    };
}
