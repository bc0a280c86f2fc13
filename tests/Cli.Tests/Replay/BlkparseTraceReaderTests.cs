using System.Diagnostics;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Commands;
using Hardware.Cli.Replay;

namespace Hardware.Cli.Tests.Replay;

public sealed class BlkparseTraceReaderTests : IDisposable
{
    private static readonly uint Sda = BlktraceDevice.Make(8, 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A short block-layer life: two reads (one merging), a sync write, a flush, a discard, plugging.</summary>
    private static readonly BlockTraceEvent[] Life =
    [
        new(1_000_000, BlockTraceAction.Queue, BioOp.Read, BioFlags.Sync, 2048, 4096, 100, Sda),
        new(1_000_000, BlockTraceAction.GetRequest, BioOp.Read, BioFlags.Sync, 2048, 4096, 100, Sda),
        new(1_000_500, BlockTraceAction.Plug, BioOp.Read, BioFlags.None, 0, 0, 100, Sda),
        new(1_001_000, BlockTraceAction.Queue, BioOp.Read, BioFlags.Sync, 2056, 4096, 100, Sda),
        new(1_001_000, BlockTraceAction.BackMerge, BioOp.Read, BioFlags.Sync, 2056, 4096, 100, Sda),
        new(1_002_000, BlockTraceAction.UnplugIo, BioOp.Read, BioFlags.None, 0, 0, 100, Sda, Depth: 1),
        new(1_003_000, BlockTraceAction.Issue, BioOp.Read, BioFlags.Sync, 2048, 8192, 100, Sda),
        new(2_500_000, BlockTraceAction.Queue, BioOp.Write, BioFlags.Sync | BioFlags.Fua, 999_999_000, 65536, 200, Sda),
        new(2_500_000, BlockTraceAction.Queue, BioOp.Flush, BioFlags.Preflush, 0, 0, 200, Sda),
        new(2_600_000, BlockTraceAction.Queue, BioOp.Discard, BioFlags.None, 4096, 1 << 20, 200, Sda),
        new(2_700_000, BlockTraceAction.Issue, BioOp.Write, BioFlags.Sync | BioFlags.Fua, 999_999_000, 65536, 200, Sda),
        new(9_000_000, BlockTraceAction.Complete, BioOp.Read, BioFlags.Sync, 2048, 8192, 0, Sda),
        new(9_500_000, BlockTraceAction.Complete, BioOp.Write, BioFlags.Sync | BioFlags.Fua, 999_999_000, 65536, 0, Sda),
    ];

    private static readonly TraceIo[] LifeQueued =
    [
        new(0, false, 2048 * 512L, 4096),
        new(1_000, false, 2056 * 512L, 4096),
        new(1_500_000, true, 999_999_000 * 512L, 65536),
    ];

    private static string Text(IEnumerable<BlockTraceEvent> events)
    {
        var text = new StringWriter();
        var writer = new BlkparseTextWriter(text);
        writer.NameProcess(100, "reader", 0);
        writer.NameProcess(200, "writer", 0);
        foreach (BlockTraceEvent e in events)
            writer.Trace(e);
        writer.WriteSummary();
        return text.ToString();
    }

    private static IReadOnlyList<TraceIo> Parse(string text) => BlkparseTraceReader.Read(new StringReader(text), "t.txt");

    private static string ErrorOf(string text)
    {
        CliException e = Assert.Throws<CliException>(() => Parse(text));
        Assert.Equal(2, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Queue_events_of_reads_and_writes_become_the_ios_in_bytes_and_nanoseconds_since_the_first()
    {
        Assert.Equal(LifeQueued, Parse(Text(Life)));
    }

    [Fact]
    public void A_trace_without_queue_events_replays_its_issue_events()
    {
        IReadOnlyList<TraceIo> ios = Parse(Text(Life.Where(e => e.Action != BlockTraceAction.Queue)));
        Assert.Equal([new TraceIo(0, false, 2048 * 512L, 8192), new TraceIo(1_697_000, true, 999_999_000 * 512L, 65536)], ios);
    }

    [Fact]
    public void The_summary_after_the_events_is_skipped_and_the_input_notice_too()
    {
        string text = "Input file t.blktrace.0 added\n" + Text(Life);
        Assert.Contains("CPU0 (8,0):", text);
        Assert.Contains("Reads Queued:", text);
        Assert.Equal(LifeQueued, Parse(text));
    }

    [Fact]
    public void The_line_from_the_blkparse_manual_page_reads_as_a_4_KiB_read()
    {
        IReadOnlyList<TraceIo> ios = Parse("  8,0    3       11     0.009507758   697  Q   R 223490 + 8 [kjournald]\n");
        Assert.Equal([new TraceIo(0, false, 223490L * 512, 4096)], ios);
    }

    [OracleFact("blkparse")]
    public void Real_blkparse_output_of_a_binary_trace_reads_as_the_text_writer_s_output()
    {
        Assert.True(BlktraceWriter.TryCreate(_directory, "sda", out BlktraceWriter? binary, out IoError? error), error?.ToString());
        using (binary)
        {
            binary.NameProcess(100, "reader", 0);
            binary.NameProcess(200, "writer", 0);
            foreach (BlockTraceEvent e in Life)
                binary.Trace(e);
        }
        string blkparse = RunBlkparse("-i", "sda");
        Assert.Contains(" Q ", blkparse);
        Assert.Equal(LifeQueued, Parse(blkparse));
    }

    [Theory]
    [InlineData("  8,0    0        1     0.000000000   100  Q   R 2048 + x [reader]\n", "t.txt line 1: sector count 'x'")]
    [InlineData("  8,0    0        1     0.000000000   100  Q   R 2048 + 8 [reader]\n  8,0    0        2     0.0000x0000   100  Q   R 4096 + 8 [reader]\n",
        "t.txt line 2: time '0.0000x0000' is not seconds.nanoseconds")]
    [InlineData("  8,0    0        1     0.000000000   100  Q   Z 2048 + 8 [reader]\n", "t.txt line 1: RWBS 'Z'")]
    [InlineData("  8,0    0        1     0.000000000   100  Q\n", "t.txt line 1: an event line needs at least 7 fields")]
    [InlineData("\nhello world\n", "t.txt line 2: 'hello world' is not a blkparse event line")]
    [InlineData("  8,0    0        1     0.000000000   100  Q   R 2048 + 8 [reader]\n  8,16   0        2     0.000000001   100  Q   W 2048 + 8 [reader]\n",
        "t.txt line 2: device 8,16 differs from 8,0 (line 1)")]
    [InlineData("CPU0 (8,0):\n Reads Queued: 1\n", "t.txt: no blkparse event lines")]
    public void A_bad_line_is_one_error_naming_its_line(string text, string message)
    {
        Assert.StartsWith(message, ErrorOf(text));
    }

    [Fact]
    public void A_missing_trace_file_is_one_error_naming_the_file()
    {
        string path = Path.Combine(_directory, "absent.txt");
        CliException e = Assert.Throws<CliException>(() => TraceReader.ReadFile(path));
        Assert.StartsWith($"{path}: cannot read the trace", e.Message);
    }

    private string RunBlkparse(params string[] arguments)
    {
        var start = new ProcessStartInfo("blkparse")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "blkparse did not finish");
        Assert.True(process.ExitCode == 0, $"blkparse exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
