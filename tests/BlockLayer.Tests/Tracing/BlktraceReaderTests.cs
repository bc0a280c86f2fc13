using System.Buffers.Binary;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public sealed class BlktraceReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-blktrace-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_record_with_a_foreign_magic_is_reported_with_the_file_record_number_and_offset()
    {
        byte[] trace = ThreeQueueEvents();
        BinaryPrimitives.WriteUInt32LittleEndian(trace.AsSpan(RecordOffset(3)), 0xDEAD_BEEF);

        IoError error = ReadFails(trace);
        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains("bad.blktrace.0: record 3 at byte 104", error.Message);
        Assert.Contains("0xdeadbeef", error.Message);
    }

    [Fact]
    public void A_record_of_another_format_version_is_refused_with_the_version()
    {
        byte[] trace = ThreeQueueEvents();
        trace[RecordOffset(2)] = 6;

        IoError error = ReadFails(trace);
        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains("record 2", error.Message);
        Assert.Contains("version 6", error.Message);
    }

    [Fact]
    public void A_trace_from_a_big_endian_host_is_recognised_and_refused_clearly()
    {
        byte[] trace = ThreeQueueEvents();
        BinaryPrimitives.WriteUInt32BigEndian(trace, BlkIoTrace.CurrentMagic);

        IoError error = ReadFails(trace);
        Assert.Contains("record 1 at byte 0", error.Message);
        Assert.Contains("big-endian", error.Message);
    }

    [Fact]
    public void A_file_cut_inside_a_header_is_an_EIO_error_naming_the_record()
    {
        byte[] trace = ThreeQueueEvents();
        IoError error = ReadFails(trace[..(RecordOffset(4) + 28)]);
        Assert.Equal(Errno.EIO, error.Errno);
        Assert.Contains("record 4", error.Message);
        Assert.Contains("28 bytes into the 48-byte header", error.Message);
    }

    [Fact]
    public void A_file_cut_inside_a_payload_is_an_EIO_error_naming_the_record()
    {
        byte[] trace = ThreeQueueEvents();
        IoError error = ReadFails(trace[..(BlkIoTrace.Size + 3)]);
        Assert.Equal(Errno.EIO, error.Errno);
        Assert.Contains("record 1", error.Message);
        Assert.Contains("3 bytes into a 8-byte payload", error.Message);
    }

    [Fact]
    public void A_missing_file_is_ENOENT()
    {
        Assert.False(BlktraceReader.TryReadFile(Path.Combine(_directory, "nothing.blktrace.0"), out _, out IoError? error));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("nothing.blktrace.0", error.Message);
    }

    [Fact]
    public void An_empty_file_is_an_empty_trace()
    {
        string path = Path.Combine(_directory, "empty.blktrace.0");
        File.WriteAllBytes(path, []);
        Assert.True(BlktraceReader.TryReadFile(path, out BlktraceLog? log, out _));
        Assert.Empty(log.Records);
    }

    [Fact]
    public void Driver_data_and_unknown_notes_are_kept_as_records_but_are_not_events()
    {
        byte[] trace = ThreeQueueEvents();
        var extra = new byte[BlkIoTrace.Size + 4];
        new BlkIoTrace(BlkIoTrace.CurrentMagic, 4, 99, 0, 0, 17u | (uint)BlktraceCategory.DriverData << 16, 1, 0, 0, 0, 4).Write(extra);
        string path = Path.Combine(_directory, "drv.blktrace.0");
        File.WriteAllBytes(path, [.. trace, .. extra]);

        Assert.True(BlktraceReader.TryReadFile(path, out BlktraceLog? log, out IoError? error), error?.ToString());
        Assert.Equal(5, log.Records.Count);
        Assert.Equal(3, log.Events.Count);
    }

    private IoError ReadFails(byte[] trace)
    {
        string path = Path.Combine(_directory, "bad.blktrace.0");
        File.WriteAllBytes(path, trace);
        Assert.False(BlktraceReader.TryReadFile(path, out _, out IoError? error));
        return error;
    }

    /// <summary>A timestamp note (56 bytes) and three 48-byte queue events: record n starts at byte 56 + 48 (n - 2).</summary>
    private static byte[] ThreeQueueEvents()
    {
        var stream = new MemoryStream();
        using (var writer = new BlktraceWriter(stream, "mem", leaveOpen: true))
            for (int i = 0; i < 3; i++)
                writer.Trace(new BlockTraceEvent(i * 1000, BlockTraceAction.Queue, BioOp.Read, BioFlags.None, i * 8, 4096, 1, BlktraceDevice.Make(8, 0)));
        return stream.ToArray();
    }

    private static int RecordOffset(int number) => number == 1 ? 0 : BlkIoTrace.Size + 8 + (number - 2) * BlkIoTrace.Size;
}
