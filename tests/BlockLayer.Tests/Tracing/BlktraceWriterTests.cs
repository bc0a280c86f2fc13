using System.Buffers.Binary;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public class BlktraceWriterTests
{
    private static readonly uint Sda = BlktraceDevice.Make(8, 0);

    [Fact]
    public void A_workload_reads_back_event_for_event_with_its_process_names()
    {
        var workload = new SyntheticBlockWorkload();
        BlktraceLog log = WriteAndRead(workload.Replay);

        Assert.Equal(workload.Events, log.Events);
        Assert.Equal(SyntheticBlockWorkload.Processes.ToDictionary(p => p.Pid, p => p.Name), log.ProcessNames);
    }

    [Fact]
    public void Events_are_numbered_from_one_and_notes_carry_sequence_zero()
    {
        BlktraceLog log = WriteAndRead(new SyntheticBlockWorkload().Replay);

        List<BlkIoTrace> events = log.Records.Where(r => !BlktraceActionCodes.IsNotify(r.Action)).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (uint)i), events.Select(r => r.Sequence));
        Assert.All(log.Records.Where(r => BlktraceActionCodes.IsNotify(r.Action)), r => Assert.Equal(0u, r.Sequence));
        Assert.All(log.Records, r => Assert.Equal((BlkIoTrace.CurrentMagic, 0u), (r.Magic, r.Cpu)));
    }

    [Fact]
    public void The_trace_starts_with_a_timestamp_note_holding_the_first_events_virtual_time()
    {
        var stream = new MemoryStream();
        using (var writer = new BlktraceWriter(stream, "mem", leaveOpen: true))
            writer.Trace(Event(BlockTraceAction.Queue, time: 7_250_000_123));

        BlkIoTrace note = BlkIoTrace.Read(stream.GetBuffer());
        Assert.Equal((BlktraceActionCodes.Notify(BlktraceNotify.Timestamp), 7_250_000_123ul, (ushort)8), (note.Action, note.Time, note.PduLength));
        ReadOnlySpan<byte> pdu = stream.GetBuffer().AsSpan(BlkIoTrace.Size, 8);
        Assert.Equal((7u, 250_000_123u), (BinaryPrimitives.ReadUInt32LittleEndian(pdu), BinaryPrimitives.ReadUInt32LittleEndian(pdu[4..])));
    }

    [Fact]
    public void A_process_is_announced_just_before_its_first_event_and_again_only_after_a_rename()
    {
        BlktraceLog log = WriteAndRead(tracer =>
        {
            tracer.NameProcess(5, "kworker/0:1", 0);
            tracer.Trace(Event(BlockTraceAction.Queue, time: 10, pid: 9));
            tracer.Trace(Event(BlockTraceAction.Queue, time: 20, pid: 5));
            tracer.NameProcess(5, "kworker/0:1", 25);
            tracer.Trace(Event(BlockTraceAction.Queue, time: 30, pid: 5));
            tracer.NameProcess(5, "fio", 35);
            tracer.Trace(Event(BlockTraceAction.Queue, time: 40, pid: 5));
        });

        string[] shape = log.Records.Select(r => BlktraceActionCodes.IsNotify(r.Action)
            ? $"note{BlktraceActionCodes.Code(r.Action)}:{r.ProcessId}@{r.Time}"
            : $"Q:{r.ProcessId}@{r.Time}").ToArray();
        Assert.Equal(["note1:0@10", "Q:9@10", "note0:5@20", "Q:5@20", "Q:5@30", "note0:5@40", "Q:5@40"], shape);
        Assert.Equal("fio", log.ProcessNames[5]);
        Assert.False(log.ProcessNames.ContainsKey(9));
    }

    [Fact]
    public void Unplugs_carry_their_depth_and_splits_the_sector_where_the_rest_starts_as_big_endian_payloads()
    {
        var stream = new MemoryStream();
        using (var writer = new BlktraceWriter(stream, "mem", leaveOpen: true))
        {
            writer.Trace(Event(BlockTraceAction.UnplugIo, time: 1, sector: 0, bytes: 0) with { Depth = 17 });
            writer.Trace(Event(BlockTraceAction.Split, time: 2, sector: 1000, bytes: 128 * 1024));
        }

        stream.Position = 0;
        using var reader = new BlktraceReader(stream, "mem");
        Assert.True(reader.TryReadNext(out _)); // timestamp note
        Assert.True(reader.TryReadNext(out _));
        Assert.Equal(17ul, BinaryPrimitives.ReadUInt64BigEndian(reader.Payload));
        Assert.True(reader.TryGetEvent(out BlockTraceEvent unplug));
        Assert.Equal(17, unplug.Depth);
        Assert.True(reader.TryReadNext(out _));
        Assert.Equal(1256ul, BinaryPrimitives.ReadUInt64BigEndian(reader.Payload));
    }

    [Fact]
    public void Plug_and_unplug_records_carry_no_sector_or_size_whatever_the_event_says()
    {
        BlktraceLog log = WriteAndRead(tracer => tracer.Trace(Event(BlockTraceAction.Plug, time: 3, sector: 55, bytes: 4096)));
        Assert.Equal((0ul, 0u), (log.Records[^1].Sector, log.Records[^1].Bytes));
    }

    [Fact]
    public void An_event_earlier_than_the_previous_one_is_a_caller_bug()
    {
        using var writer = new BlktraceWriter(new MemoryStream(), "sda.blktrace.0");
        writer.Trace(Event(BlockTraceAction.Queue, time: 1_000));
        var ex = Assert.Throws<ArgumentException>(() => writer.Trace(Event(BlockTraceAction.Queue, time: 999)));
        Assert.Contains("sda.blktrace.0", ex.Message);
        Assert.Contains("999 ns", ex.Message);
    }

    [Theory]
    [InlineData(BlockTraceAction.Remap)]
    [InlineData((BlockTraceAction)0)]
    [InlineData((BlockTraceAction)17)]
    public void Actions_the_writer_cannot_record_faithfully_are_refused(BlockTraceAction action)
    {
        using var writer = new BlktraceWriter(new MemoryStream(), "mem");
        Assert.Throws<ArgumentException>(() => writer.Trace(Event(action, time: 1)));
        Assert.Equal(0, writer.RecordsWritten);
    }

    [Fact]
    public void A_failed_write_stops_the_trace_and_is_reported_without_disturbing_the_caller()
    {
        var writer = new BlktraceWriter(new FailingStream(), "/full/disk/sda.blktrace.0", bufferSize: 256);
        for (int i = 0; i < 100; i++)
            writer.Trace(Event(BlockTraceAction.Queue, time: i));
        writer.Dispose();

        Assert.NotNull(writer.Error);
        Assert.Equal(Errno.EIO, writer.Error.Errno);
        Assert.Contains("/full/disk/sda.blktrace.0", writer.Error.Message);
        Assert.Contains("No space left", writer.Error.Message);
    }

    [Fact]
    public void Creating_a_trace_in_a_missing_directory_is_an_ENOENT_error_naming_the_path()
    {
        string missing = Path.Combine(Path.GetTempPath(), "hwstack-no-such-directory", "deeper");
        Assert.False(BlktraceWriter.TryCreate(missing, "sda", out _, out IoError? error));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains(Path.Combine(missing, "sda.blktrace.0"), error.Message);
    }

    [Fact]
    public void A_trace_file_is_named_like_blktraces_per_cpu_files()
    {
        Assert.Equal("sda.blktrace.0", BlktraceWriter.FileName("sda"));
        Assert.False(BlktraceWriter.TryCreate(Path.GetTempPath(), "a/b", out _, out IoError? error));
        Assert.Equal(Errno.EINVAL, error.Errno);
    }

    private static BlktraceLog WriteAndRead(Action<IBlockTracer> trace)
    {
        string directory = Directory.CreateTempSubdirectory("hwstack-blktrace-").FullName;
        try
        {
            Assert.True(BlktraceWriter.TryCreate(directory, "sda", out BlktraceWriter? writer, out IoError? error), error?.ToString());
            using (writer)
                trace(writer);
            Assert.True(BlktraceReader.TryReadFile(Path.Combine(directory, "sda.blktrace.0"), out BlktraceLog? log, out error), error?.ToString());
            return log;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static BlockTraceEvent Event(BlockTraceAction action, long time, int pid = 100, long sector = 2048, int bytes = 4096) =>
        new(time, action, BioOp.Read, BioFlags.None, sector, bytes, pid, Sda);

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
