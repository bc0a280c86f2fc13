using System.Globalization;
using System.Text.RegularExpressions;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

/// <summary>
/// Debian's blkparse and btt read the binary trace of <see cref="SyntheticBlockWorkload"/>: the counts, lines,
/// names and latencies they report must be the ones the workload was built with.
/// </summary>
public sealed partial class BlkparseOracleTests : IClassFixture<BlkparseOracleTests.TracedWorkload>
{
    private readonly TracedWorkload _traced;

    public BlkparseOracleTests(TracedWorkload traced) => _traced = traced;

    [OracleFact("blkparse", "btt")]
    public void Blkparse_counts_the_ios_queued_dispatched_requeued_completed_and_merged_as_traced()
    {
        string summary = _traced.BlkparseOutput;
        // Empty flushes are not writes to the kernel (REQ_OP_FLUSH is even), so blkparse counts them as reads.
        Assert.Equal((105, 400), Pair(summary, "Reads Queued"));
        Assert.Equal((51, 1224), Pair(summary, "Writes Queued"));
        Assert.Equal((64, 400), Pair(summary, "Read Dispatches"));
        Assert.Equal((14, 1224), Pair(summary, "Write Dispatches"));
        Assert.Equal(0, Single(summary, "Reads Requeued"));
        Assert.Equal(1, Single(summary, "Writes Requeued"));
        Assert.Equal((64, 400), Pair(summary, "Reads Completed"));
        Assert.Equal((13, 1224), Pair(summary, "Writes Completed"));
        Assert.Equal((41, 164), Pair(summary, "Read Merges"));
        Assert.Equal((38, 152), Pair(summary, "Write Merges"));
        Assert.Equal(45, Single(summary, "IO unplugs"));
        Assert.Contains($"Events (sda): {_traced.Workload.Events.Count} entries", summary);
        Assert.Contains("Skips: 0 forward", summary);

        Dictionary<string, int> letters = _traced.EventLines.GroupBy(l => l.Action).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(156, letters["Q"]);
        Assert.Equal(78, letters["D"]);
        Assert.Equal(77, letters["C"]);
        Assert.Equal(1, letters["R"]);
        Assert.Equal(45, letters["P"]);
        Assert.Equal(45, letters["U"]);
    }

    [OracleFact("blkparse", "btt")]
    public void Blkparse_shows_each_event_with_its_sequence_time_pid_action_sector_size_and_process()
    {
        IReadOnlyList<BlockTraceEvent> events = _traced.Workload.Events;
        IReadOnlyList<EventLine> lines = _traced.EventLines;
        Assert.Equal(events.Count, lines.Count);
        Dictionary<int, string> names = SyntheticBlockWorkload.Processes.ToDictionary(p => p.Pid, p => p.Name);
        for (int i = 0; i < events.Count; i++)
        {
            BlockTraceEvent e = events[i];
            EventLine line = lines[i];
            Assert.Equal((8, 0, 0, i + 1), (line.Major, line.Minor, line.Cpu, line.Sequence));
            Assert.Equal(e.Time - SyntheticBlockWorkload.Start, line.Nanoseconds);
            Assert.Equal(e.ProcessId, line.Pid);
            Assert.Equal(BlktraceActionCodes.Letters(e.Action), line.Action);
            switch (e.Action)
            {
                case BlockTraceAction.Complete or BlockTraceAction.Requeue:
                    Assert.Equal(e.Bytes == 0 ? $"{e.Sector} [0]" : $"{e.Sector} + {e.Bytes / 512} [{(e.Error == Errno.EIO ? 65531 : 0)}]", line.Detail);
                    break;
                case BlockTraceAction.Plug:
                    Assert.Equal($"[{names[e.ProcessId]}]", line.Detail);
                    break;
                case BlockTraceAction.UnplugIo:
                    Assert.Equal($"[{names[e.ProcessId]}] {e.Depth}", line.Detail);
                    break;
                default:
                    Assert.Equal(e.Bytes == 0 ? $"[{names[e.ProcessId]}]" : $"{e.Sector} + {e.Bytes / 512} [{names[e.ProcessId]}]", line.Detail);
                    break;
            }
        }
    }

    [OracleTheory("blkparse", "btt")]
    [InlineData("Q", 100_000L, "RA")]
    [InlineData("M", 100_008L, "RA")]
    [InlineData("Q", 100_040L, "RS")]
    [InlineData("Q", 500_000L + 7 * 7919 % 1000 * 64, "RSM")]
    [InlineData("Q", 2_000_000L, "WS")]
    [InlineData("D", 2_000_000L, "WS")]
    [InlineData("Q", 3_000_000L, "WFS")]
    [InlineData("Q", 3_000_100L, "FWFS")]
    [InlineData("Q", 4_000_000L, "D")]
    [InlineData("C", 4_000_000L, "D")]
    public void Blkparse_spells_rwbs_for_reads_writes_sync_meta_readahead_fua_preflush_and_discard(string action, long sector, string rwbs)
    {
        EventLine line = _traced.EventLines.First(l => l.Action == action && l.Detail.StartsWith($"{sector} ", StringComparison.Ordinal));
        Assert.Equal(rwbs, line.Rwbs);
    }

    [OracleFact("blkparse", "btt")]
    public void Blkparse_shows_empty_flushes_plugs_and_unplugs_as_carrying_no_data()
    {
        Assert.All(_traced.EventLines.Where(l => l.Action is "P" or "U"), l => Assert.Equal("N", l.Rwbs));
        List<EventLine> flushes = _traced.EventLines.Where(l => l.Rwbs == "FN").ToList();
        Assert.Equal(SyntheticBlockWorkload.Flushes * 5, flushes.Count); // Q, G, I, D, C each
        Assert.Equal(SyntheticBlockWorkload.Flushes, flushes.Count(l => l.Action == "C"));
    }

    [OracleFact("blkparse", "btt")]
    public void Blkparse_reports_a_failed_completion_with_the_kernels_negative_errno()
    {
        EventLine failed = Assert.Single(_traced.EventLines, l => l.Action == "C" && l.Detail.EndsWith("[65531]", StringComparison.Ordinal));
        Assert.Equal("RS", failed.Rwbs);
    }

    [OracleFact("blkparse", "btt")]
    public void Blkparse_names_every_process_from_the_notify_records()
    {
        foreach ((int pid, string name) in SyntheticBlockWorkload.Processes)
        {
            List<EventLine> lines = _traced.EventLines.Where(l => l.Pid == pid).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Contains($"[{name}]", l.Detail));
        }

        Assert.DoesNotContain("(null)", _traced.BlkparseOutput);
    }

    [OracleFact("blkparse", "btt")]
    public void The_text_writer_prints_what_blkparse_prints_line_for_line()
    {
        var text = new StringWriter();
        var writer = new BlkparseTextWriter(text, "sda");
        _traced.Workload.Replay(writer);
        writer.WriteSummary();

        string[] ours = text.ToString().Split('\n');
        string[] theirs = BlktraceTools.Normalize(_traced.BlkparseOutput).Split('\n');
        for (int i = 0; i < Math.Min(ours.Length, theirs.Length); i++)
            Assert.True(theirs[i] == ours[i], $"line {i + 1} differs:\n blkparse: {theirs[i]}\n ours:     {ours[i]}");
        Assert.Equal(theirs.Length, ours.Length);
    }

    [OracleFact("blkparse", "btt")]
    public void Btt_reports_the_fixed_device_time_and_the_expected_mean_queue_to_complete_time()
    {
        (double min, double mean, double max, int count) d2c = BttRow("D2C");
        (double min, double mean, double max, int count) q2c = BttRow("Q2C");
        double service = SyntheticBlockWorkload.ServiceTime * 1e-9;

        // btt counts D2C and Q2C per queued bio with data: 100 reads, 50 writes and the discard.
        Assert.Equal(151, d2c.count);
        Assert.Equal((service, service, service), (d2c.min, d2c.mean, d2c.max));
        Assert.Equal(151, q2c.count);
        Assert.Equal((SyntheticBlockWorkload.InsertToIssue + SyntheticBlockWorkload.ServiceTime) * 1e-9, q2c.min, 9);
        Assert.Equal(SyntheticBlockWorkload.ExpectedMeanQ2CSeconds, q2c.mean, 9);
        Assert.Equal((SyntheticBlockWorkload.InsertToIssue + 2 * SyntheticBlockWorkload.ServiceTime + SyntheticBlockWorkload.RequeueDelay) * 1e-9, q2c.max, 9);
    }

    [OracleFact("blkparse", "btt")]
    public void The_reader_reads_blkparses_binary_dump_back_to_the_traced_events()
    {
        Assert.True(BlktraceReader.TryReadFile(Path.Combine(_traced.Directory, "sda.dump"), out BlktraceLog? log, out IoError? error), error?.ToString());
        // blkparse -d rewrites times relative to the first event and moves the process notes ahead of the events.
        Assert.Equal(_traced.Workload.Events.Select(e => e with { Time = e.Time - SyntheticBlockWorkload.Start }), log.Events);
        Assert.Equal(SyntheticBlockWorkload.Processes.ToDictionary(p => p.Pid, p => p.Name), log.ProcessNames);
    }

    private (double Min, double Mean, double Max, int Count) BttRow(string metric)
    {
        Match row = Regex.Match(_traced.BttOutput, $@"^{metric}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s*$", RegexOptions.Multiline);
        Assert.True(row.Success, $"btt printed no {metric} row:\n{_traced.BttOutput}");
        return (Seconds(row.Groups[1].Value), Seconds(row.Groups[2].Value), Seconds(row.Groups[3].Value), int.Parse(row.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static (long Count, long KiB) Pair(string summary, string label)
    {
        Match m = Regex.Match(BlktraceTools.Normalize(summary), $@"{label}:\s+(\d+),\s+(\d+)KiB");
        Assert.True(m.Success, $"blkparse printed no '{label}'");
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static long Single(string summary, string label)
    {
        Match m = Regex.Match(BlktraceTools.Normalize(summary), $@"{label}:\s+(\d+)");
        Assert.True(m.Success, $"blkparse printed no '{label}'");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>One line of blkparse's default output, split into its columns.</summary>
    public sealed record EventLine(int Major, int Minor, int Cpu, int Sequence, long Nanoseconds, int Pid, string Action, string Rwbs, string Detail)
    {
        public static EventLine Parse(string line)
        {
            Match m = LinePattern().Match(line);
            Assert.True(m.Success, $"not a blkparse event line: '{line}'");
            int Int(int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
            return new EventLine(Int(1), Int(2), Int(3), Int(4),
                long.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) * 1_000_000_000 + long.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture),
                Int(7), m.Groups[8].Value, m.Groups[9].Value, m.Groups[10].Value);
        }
    }

    [GeneratedRegex(@"^\s*(\d+),(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\.(\d{9})\s+(\d+)\s+(\S+)\s+(\S+)\s(.*)$")]
    private static partial Regex LinePattern();

    /// <summary>The workload's trace, written once, with blkparse's text and binary outputs and btt's report.</summary>
    public sealed class TracedWorkload : IDisposable
    {
        public TracedWorkload()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("hwstack-blktrace-").FullName;
            Workload = new SyntheticBlockWorkload();
            Assert.True(BlktraceWriter.TryCreate(Directory, "sda", out BlktraceWriter? writer, out IoError? error), error?.ToString());
            using (writer)
                Workload.Replay(writer);
            Assert.Null(writer.Error);

            BlkparseOutput = BlktraceTools.Blkparse(Directory, "-i", "sda");
            EventLines = BlkparseOutput.Split('\n').Where(l => BlktraceTools.EventLine().IsMatch(l)).Select(EventLine.Parse).ToArray();
            BlktraceTools.Blkparse(Directory, "-i", "sda", "-d", "sda.dump", "-O", "-q");
            BttOutput = BlktraceTools.Btt(Directory, "-i", "sda.dump");
        }

        public string Directory { get; }

        internal SyntheticBlockWorkload Workload { get; }

        public string BlkparseOutput { get; }

        public IReadOnlyList<EventLine> EventLines { get; }

        public string BttOutput { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
