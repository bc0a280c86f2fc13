using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// Reads a blktrace file record by record (ours, blkparse's <c>-d</c> dump, or a Linux host's
/// <c>NAME.blktrace.N</c>), checking each header's magic and version. A damaged file gives an
/// <see cref="IoError"/> naming the file, the record number and its byte offset; nothing is thrown for bad data.
/// </summary>
public sealed class BlktraceReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[BlkIoTrace.Size];
    private readonly Dictionary<int, string> _processNames = new();
    private byte[] _payload = new byte[64];
    private long _nextOffset;

    public BlktraceReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanRead)
            throw new ArgumentException($"{sourceName}: the trace stream is not readable", nameof(stream));
        _stream = stream;
        _leaveOpen = leaveOpen;
        SourceName = sourceName;
    }

    public static bool TryOpen(string path,
        [NotNullWhen(true)] out BlktraceReader? reader, [NotNullWhen(false)] out IoError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            reader = new BlktraceReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read), path);
            error = null;
            return true;
        }
        catch (Exception ex) when (HostFileErrors.IsHostFileError(ex))
        {
            reader = null;
            error = new IoError(HostFileErrors.ErrnoOf(ex), $"{path}: cannot open the trace: {ex.Message}");
            return false;
        }
    }

    /// <summary>Reads a whole trace: its events in file order, the records' headers and the process names.</summary>
    public static bool TryReadFile(string path,
        [NotNullWhen(true)] out BlktraceLog? log, [NotNullWhen(false)] out IoError? error)
    {
        log = null;
        if (!TryOpen(path, out BlktraceReader? reader, out error))
            return false;
        using (reader)
        {
            var records = new List<BlkIoTrace>();
            var events = new List<BlockTraceEvent>();
            while (reader.TryReadNext(out error))
            {
                records.Add(reader.Current);
                if (reader.Current.Bytes > int.MaxValue)
                {
                    error = reader.RecordError(Errno.EOVERFLOW, $"{reader.Current.Bytes} bytes do not fit a BlockTraceEvent");
                    return false;
                }

                if (reader.TryGetEvent(out BlockTraceEvent e))
                    events.Add(e);
            }

            if (error is not null)
                return false;
            log = new BlktraceLog(path, records, events, new Dictionary<int, string>(reader.ProcessNames));
            return true;
        }
    }

    public string SourceName { get; }

    /// <summary>1-based number of <see cref="Current"/> in the file, notes included.</summary>
    public long RecordNumber { get; private set; }

    /// <summary>Byte offset of <see cref="Current"/> in the stream.</summary>
    public long RecordOffset { get; private set; }

    public BlkIoTrace Current { get; private set; }

    /// <summary>The current record's payload (valid until the next read).</summary>
    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, Current.PduLength);

    /// <summary>Names from the BLK_TN_PROCESS notes read so far (the latest name of each pid).</summary>
    public IReadOnlyDictionary<int, string> ProcessNames => _processNames;

    /// <summary>
    /// Advances to the next record. False at the end of the trace (<paramref name="error"/> null) or at a record
    /// that cannot be read (error set; reading should stop there).
    /// </summary>
    public bool TryReadNext(out IoError? error)
    {
        long offset = _nextOffset;
        long number = RecordNumber + 1;
        if (!TryFill(_header, out int got, out error))
            return false;
        if (got == 0)
            return false;
        if (got < BlkIoTrace.Size)
        {
            error = Problem(Errno.EIO, number, offset, $"the file ends {got} bytes into the {BlkIoTrace.Size}-byte header");
            return false;
        }

        BlkIoTrace header = BlkIoTrace.Read(_header);
        if (!header.HasBlktraceMagic)
        {
            uint swapped = BinaryPrimitives.ReverseEndianness(header.Magic);
            error = (swapped & BlkIoTrace.MagicMask) == BlkIoTrace.MagicBase
                ? Problem(Errno.EINVAL, number, offset, "the trace was written by a big-endian host; only little-endian traces are read")
                : Problem(Errno.EINVAL, number, offset, $"magic 0x{header.Magic:x8} is not blktrace's 0x{BlkIoTrace.MagicBase:x8} | version; not a blktrace file or not at a record boundary");
            return false;
        }

        if (header.MagicVersion != BlkIoTrace.Version)
        {
            error = Problem(Errno.EINVAL, number, offset, $"format version {header.MagicVersion}; only version {BlkIoTrace.Version} is supported");
            return false;
        }

        if (_payload.Length < header.PduLength)
            _payload = new byte[Math.Max(header.PduLength, _payload.Length * 2)];
        if (!TryFill(_payload.AsSpan(0, header.PduLength), out got, out error))
            return false;
        if (got < header.PduLength)
        {
            error = Problem(Errno.EIO, number, offset, $"the file ends {got} bytes into a {header.PduLength}-byte payload");
            return false;
        }

        Current = header;
        RecordNumber = number;
        RecordOffset = offset;
        if (header.Action == BlktraceActionCodes.Notify(BlktraceNotify.Process))
            _processNames[(int)header.ProcessId] = TaskComm.Decode(Payload);
        return true;
    }

    /// <summary>
    /// The current record as a queue event; false for notes and for actions <see cref="BlockTraceAction"/> does not
    /// define. Unplugs get their depth from the payload.
    /// </summary>
    public bool TryGetEvent(out BlockTraceEvent e)
    {
        BlkIoTrace r = Current;
        if (!BlktraceActionCodes.TryDecode(r.Action, out BlockTraceAction action, out BioOp op, out BioFlags flags))
        {
            e = default;
            return false;
        }

        int depth = 0;
        if (action is BlockTraceAction.UnplugIo or BlockTraceAction.UnplugTimer && r.PduLength >= sizeof(ulong))
            depth = (int)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(Payload), int.MaxValue);
        e = new BlockTraceEvent((long)r.Time, action, op, flags, (long)r.Sector, (int)Math.Min(r.Bytes, int.MaxValue),
            (int)r.ProcessId, r.Device, BlktraceActionCodes.DecodeError(r.Error), depth);
        return true;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
            _stream.Dispose();
    }

    private IoError RecordError(Errno errno, string what) => Problem(errno, RecordNumber, RecordOffset, what);

    private IoError Problem(Errno errno, long number, long offset, string what) =>
        new(errno, $"{SourceName}: record {number} at byte {offset}: {what}");

    private bool TryFill(Span<byte> destination, out int filled, out IoError? error)
    {
        filled = 0;
        error = null;
        try
        {
            while (filled < destination.Length)
            {
                int n = _stream.Read(destination[filled..]);
                if (n == 0)
                    break;
                filled += n;
            }
        }
        catch (IOException ex)
        {
            error = new IoError(Errno.EIO, $"{SourceName}: read failed at byte {_nextOffset + filled}: {ex.Message}");
            return false;
        }

        _nextOffset += filled;
        return true;
    }
}
