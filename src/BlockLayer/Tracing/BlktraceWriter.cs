using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// Writes the queue's events as a blktrace file that Debian's blkparse and btt read: one CPU's stream
/// (<c>NAME.blktrace.0</c>), records numbered 1, 2, ... in event order, a BLK_TN_TIMESTAMP note first and a
/// BLK_TN_PROCESS note before the first event of each named process. Records are assembled in a reusable buffer, so
/// tracing allocates nothing per event. A failed write stops the trace and is kept in <see cref="Error"/>; the
/// simulation is never interrupted by its tracer.
/// <para>
/// Order matters to the tools: blkparse takes a CPU file in file order and counts time from its first event, btt
/// pairs events in the order it reads them, and blkparse's stdin mode sorts by time and reports gaps in the
/// per-CPU sequence as skips. So events must arrive in time order (checked) and are numbered without gaps.
/// </para>
/// </summary>
public sealed class BlktraceWriter : IBlockTracer, IDisposable
{
    /// <summary>Everything is recorded as CPU 0: the simulation runs the block layer on one virtual CPU.</summary>
    public const int Cpu = 0;

    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>Unplug depth and split sector travel as one big-endian u64 (cpu_to_be64 in the kernel).</summary>
    private const int Be64PduLength = sizeof(ulong);
    private const int TimestampPduLength = 2 * sizeof(uint);
    private const int MaxRecordLength = BlkIoTrace.Size + TaskComm.Length;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;
    private readonly Dictionary<int, ProcessName> _names = new();
    private int _buffered;
    private int _unannouncedNames;
    private uint _sequence;
    private long _lastTime;
    private bool _started;
    private bool _disposed;

    /// <param name="stream">Where the records go; written sequentially from its current position.</param>
    /// <param name="streamName">Names the trace in error messages (usually the file path).</param>
    public BlktraceWriter(Stream stream, string streamName, bool leaveOpen = false, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(streamName);
        if (!stream.CanWrite)
            throw new ArgumentException($"{streamName}: the trace stream is not writable", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, MaxRecordLength);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = new byte[bufferSize];
        StreamName = streamName;
    }

    /// <summary>The file name blkparse looks for when given <c>-i <paramref name="name"/></c>.</summary>
    public static string FileName(string name) => $"{name}.blktrace.{Cpu}";

    /// <summary>Creates (or replaces) <c>directory/NAME.blktrace.0</c>.</summary>
    public static bool TryCreate(string directory, string name,
        [NotNullWhen(true)] out BlktraceWriter? writer, [NotNullWhen(false)] out IoError? error)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(name);
        writer = null;
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            error = new IoError(Errno.EINVAL, $"'{name}' is not a usable trace name");
            return false;
        }

        string path = Path.Combine(directory, FileName(name));
        try
        {
            // Our own buffer batches the records; a second FileStream buffer would only copy them again.
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
            writer = new BlktraceWriter(stream, path);
            error = null;
            return true;
        }
        catch (Exception ex) when (HostFileErrors.IsHostFileError(ex))
        {
            error = new IoError(HostFileErrors.ErrnoOf(ex), $"{path}: cannot create the trace file: {ex.Message}");
            return false;
        }
    }

    public string StreamName { get; }

    /// <summary>Events recorded (notify records not counted); also the last sequence number used.</summary>
    public long EventsWritten => _sequence;

    /// <summary>All records including notes.</summary>
    public long RecordsWritten { get; private set; }

    /// <summary>Bytes handed to the stream or waiting in the buffer.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The write failure that stopped the trace, if any.</summary>
    public IoError? Error { get; private set; }

    public void Trace(in BlockTraceEvent e)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TraceEventChecks.Validate(e, _lastTime, StreamName);
        _lastTime = e.Time;
        if (Error is not null)
            return;

        if (!_started)
        {
            _started = true;
            WriteTimestampNote(e.Time, e.Device);
        }

        if (_unannouncedNames > 0)
            AnnounceIfNamed(e.ProcessId, e.Time, e.Device);

        long sector = e.Sector;
        int bytes = e.Bytes;
        int pduLength = 0;
        ulong pdu = 0;
        switch (e.Action)
        {
            case BlockTraceAction.Plug:
                sector = 0;
                bytes = 0;
                break;
            case BlockTraceAction.UnplugIo:
            case BlockTraceAction.UnplugTimer:
                sector = 0;
                bytes = 0;
                pduLength = Be64PduLength;
                pdu = (ulong)e.Depth;
                break;
            case BlockTraceAction.Split:
                // block_split reports the front part and, as payload, the sector where the rest now starts.
                pduLength = Be64PduLength;
                pdu = (ulong)(e.Sector + e.Bytes / Bio.SectorSize);
                break;
        }

        EnsureRoom(BlkIoTrace.Size + pduLength);
        Span<byte> record = _buffer.AsSpan(_buffered, BlkIoTrace.Size + pduLength);
        new BlkIoTrace(
            BlkIoTrace.CurrentMagic,
            ++_sequence,
            (ulong)e.Time,
            (ulong)sector,
            (uint)bytes,
            BlktraceActionCodes.Encode(e.Action, e.Op, e.Flags),
            (uint)e.ProcessId,
            e.Device,
            Cpu,
            BlktraceActionCodes.EncodeError(e.Error),
            (ushort)pduLength).Write(record);
        if (pduLength != 0)
            BinaryPrimitives.WriteUInt64BigEndian(record[BlkIoTrace.Size..], pdu);
        Commit(record.Length);
    }

    /// <summary>
    /// Remembers the name; the BLK_TN_PROCESS note goes out just before the pid's next event and carries that
    /// event's time and device, as the kernel's trace_note_tsk does. Renaming a pid announces it again.
    /// </summary>
    public void NameProcess(int processId, string name, long time)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(processId);
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.TryGetValue(processId, out ProcessName? entry))
        {
            entry = new ProcessName();
            _names.Add(processId, entry);
        }
        else
        {
            Span<byte> comm = stackalloc byte[TaskComm.Length];
            TaskComm.Encode(name, comm);
            if (comm.SequenceEqual(entry.Comm))
                return;
            if (!entry.Announced)
                _unannouncedNames--;
        }

        TaskComm.Encode(name, entry.Comm);
        entry.Announced = false;
        _unannouncedNames++;
    }

    /// <summary>Hands buffered records to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteBuffer();
        if (Error is not null)
            return;
        try
        {
            _stream.Flush();
        }
        catch (IOException ex)
        {
            Fail(ex);
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Flush();
        _disposed = true;
        if (!_leaveOpen)
            _stream.Dispose();
    }

    private void AnnounceIfNamed(int processId, long time, uint device)
    {
        if (!_names.TryGetValue(processId, out ProcessName? entry) || entry.Announced)
            return;
        entry.Announced = true;
        _unannouncedNames--;
        Span<byte> record = StartNote(BlktraceNotify.Process, processId, time, device, TaskComm.Length);
        entry.Comm.CopyTo(record[BlkIoTrace.Size..]);
        Commit(record.Length);
    }

    private void WriteTimestampNote(long time, uint device)
    {
        // The kernel stamps the trace's start with the wall clock; a simulation's clock is its virtual time.
        Span<byte> record = StartNote(BlktraceNotify.Timestamp, 0, time, device, TimestampPduLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[BlkIoTrace.Size..], (uint)(time / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[(BlkIoTrace.Size + sizeof(uint))..], (uint)(time % 1_000_000_000));
        Commit(record.Length);
    }

    private Span<byte> StartNote(BlktraceNotify kind, int processId, long time, uint device, int pduLength)
    {
        EnsureRoom(BlkIoTrace.Size + pduLength);
        Span<byte> record = _buffer.AsSpan(_buffered, BlkIoTrace.Size + pduLength);
        // Notes carry sequence 0: they are not counted among the per-CPU events.
        new BlkIoTrace(BlkIoTrace.CurrentMagic, 0, (ulong)time, 0, 0, BlktraceActionCodes.Notify(kind),
            (uint)processId, device, Cpu, 0, (ushort)pduLength).Write(record);
        return record;
    }

    private void EnsureRoom(int length)
    {
        if (_buffer.Length - _buffered < length)
            WriteBuffer();
    }

    private void Commit(int length)
    {
        _buffered += length;
        BytesWritten += length;
        RecordsWritten++;
    }

    private void WriteBuffer()
    {
        if (_buffered == 0 || Error is not null)
        {
            _buffered = 0;
            return;
        }

        try
        {
            _stream.Write(_buffer, 0, _buffered);
        }
        catch (IOException ex)
        {
            Fail(ex);
        }

        _buffered = 0;
    }

    private void Fail(IOException ex) =>
        Error = new IoError(HostFileErrors.ErrnoOf(ex), $"{StreamName}: trace write failed after {RecordsWritten} records, tracing stopped: {ex.Message}");

    private sealed class ProcessName
    {
        public readonly byte[] Comm = new byte[TaskComm.Length];
        public bool Announced;
    }
}
