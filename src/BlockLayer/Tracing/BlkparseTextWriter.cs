using System.Globalization;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// Writes the queue's events as blkparse's default text output, line for line what
/// <c>blkparse -i NAME</c> prints for the file a <see cref="BlktraceWriter"/> makes of the same events:
/// <c>  8,0    0        1     0.000000000  1234  Q   R 2048 + 8 [name]</c> (device, CPU, sequence, seconds since
/// the first event, pid, action, RWBS, sector + sectors, process), then the per-CPU summary from
/// <see cref="WriteSummary"/>. Lines are formatted in a reusable buffer: nothing is allocated per event.
/// </summary>
public sealed class BlkparseTextWriter : IBlockTracer
{
    private const string UnknownProcess = "(null)";

    private readonly TextWriter _output;
    private readonly string? _deviceLabel;
    private readonly Dictionary<int, string> _names = new();
    private readonly char[] _line = new char[512];
    private int _length;
    private uint _sequence;
    private long _genesis = -1;
    private long _lastTime;
    private uint _firstDevice;
    private readonly IoCounters[] _counters = new IoCounters[2];
    private ulong _ioUnplugs;
    private ulong _timerUnplugs;
    private ulong _events;
    private ulong _firstTime;
    private ulong _lastEventTime;

    /// <param name="output">Receives the lines.</param>
    /// <param name="deviceLabel">
    /// What the summary names the device by: blkparse uses the trace name given to <c>-i</c>; by default
    /// "major,minor" of the first event's device.
    /// </param>
    public BlkparseTextWriter(TextWriter output, string? deviceLabel = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _deviceLabel = deviceLabel;
    }

    /// <summary>The counters so far, as blkparse would print them now.</summary>
    public BlkparseSummary Summary
    {
        get
        {
            IoCounters r = _counters[0], w = _counters[1];
            return new BlkparseSummary(
                r.Queued, r.KiBQueued, w.Queued, w.KiBQueued,
                r.Dispatches, r.KiBDispatched, w.Dispatches, w.KiBDispatched,
                r.Requeued, w.Requeued,
                r.Completed, r.KiBCompleted, w.Completed, w.KiBCompleted,
                r.Merges, r.KiBMerged, w.Merges, w.KiBMerged,
                r.MaxDepth, w.MaxDepth,
                _ioUnplugs, _timerUnplugs,
                _events, _firstTime, _lastEventTime);
        }
    }

    public void Trace(in BlockTraceEvent e)
    {
        TraceEventChecks.Validate(e, _lastTime, nameof(BlkparseTextWriter));
        _lastTime = e.Time;
        if (_genesis < 0)
        {
            // blkparse shows times relative to the first event of the trace.
            _genesis = e.Time;
            _firstDevice = e.Device;
        }

        bool unplug = e.Action is BlockTraceAction.Plug or BlockTraceAction.UnplugIo or BlockTraceAction.UnplugTimer;
        ulong sector = unplug ? 0 : (ulong)e.Sector;
        uint bytes = unplug ? 0 : (uint)e.Bytes;
        uint action = BlktraceActionCodes.Encode(e.Action, e.Op, e.Flags);
        ulong time = (ulong)(e.Time - _genesis);
        _sequence++;
        Count(e.Action, action, bytes, time);
        if (e.Action == BlockTraceAction.Abort)
            return; // blkparse has no line for it (it reports "Bad fs action" on stderr)

        _length = 0;
        AppendHeader(e, action, bytes, time);
        AppendDetail(e, sector, bytes);
        _line[_length++] = '\n';
        _output.Write(_line, 0, _length);
    }

    public void NameProcess(int processId, string name, long time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(processId);
        ArgumentNullException.ThrowIfNull(name);
        _names[processId] = TaskComm.Normalize(name);
    }

    /// <summary>Writes the summary blkparse prints after the events.</summary>
    public void WriteSummary()
    {
        string label = _deviceLabel ?? $"{BlktraceDevice.Major(_firstDevice)},{BlktraceDevice.Minor(_firstDevice)}";
        _output.Write(Summary.Format(label, BlktraceWriter.Cpu));
    }

    private void AppendHeader(in BlockTraceEvent e, uint action, uint bytes, ulong time)
    {
        // "%3d,%-3d %2d %8d %5d.%09lu %5u %2s %3s "
        AppendNumber(BlktraceDevice.Major(e.Device), 3);
        Append(',');
        AppendNumber(BlktraceDevice.Minor(e.Device), -3);
        Append(' ');
        AppendNumber(BlktraceWriter.Cpu, 2);
        Append(' ');
        AppendNumber(_sequence, 8);
        Append(' ');
        AppendNumber(time / 1_000_000_000, 5);
        Append('.');
        AppendNumber(time % 1_000_000_000, 9, zeroPad: true);
        Append(' ');
        AppendNumber((uint)e.ProcessId, 5);
        Append(' ');
        AppendText(BlktraceActionCodes.Letters(e.Action), 2);
        Append(' ');
        Span<char> rwbs = stackalloc char[8];
        AppendText(rwbs[..BlktraceActionCodes.FormatRwbs(action, bytes, rwbs)], 3);
        Append(' ');
    }

    /// <summary>The per-action rest of the line (process_default in blkparse_fmt.c).</summary>
    private void AppendDetail(in BlockTraceEvent e, ulong sector, uint bytes)
    {
        uint sectors = bytes >> 9;
        switch (e.Action)
        {
            case BlockTraceAction.Requeue:
            case BlockTraceAction.Complete:
                AppendNumber(sector, 0);
                if (sectors != 0)
                {
                    Append(" + ");
                    AppendNumber(sectors, 0);
                }

                Append(" [");
                AppendNumber(BlktraceActionCodes.EncodeError(e.Error), 0);
                Append(']');
                break;
            case BlockTraceAction.Plug:
                AppendProcess(e.ProcessId);
                break;
            case BlockTraceAction.UnplugIo:
            case BlockTraceAction.UnplugTimer:
                AppendProcess(e.ProcessId);
                Append(' ');
                AppendNumber((uint)e.Depth, 0);
                break;
            case BlockTraceAction.Split:
                AppendNumber(sector, 0);
                Append(" / ");
                AppendNumber((uint)(sector + sectors), 0);
                Append(' ');
                AppendProcess(e.ProcessId);
                break;
            default:
                if (sectors != 0)
                {
                    AppendNumber(sector, 0);
                    Append(" + ");
                    AppendNumber(sectors, 0);
                    Append(' ');
                }

                AppendProcess(e.ProcessId);
                break;
        }
    }

    private void Count(BlockTraceAction traced, uint action, uint bytes, ulong time)
    {
        int direction = BlktraceActionCodes.IsWrite(action) ? 1 : 0;
        ulong kib = bytes >> 10;
        ref IoCounters c = ref _counters[direction];
        switch (traced)
        {
            case BlockTraceAction.Queue:
                c.Queued++;
                c.KiBQueued += kib;
                break;
            case BlockTraceAction.BackMerge:
            case BlockTraceAction.FrontMerge:
                c.Merges++;
                c.KiBMerged += kib;
                break;
            case BlockTraceAction.Issue:
                c.Dispatches++;
                c.KiBDispatched += kib;
                c.MaxDepth = Math.Max(c.MaxDepth, ++c.InFlight);
                break;
            case BlockTraceAction.Requeue:
                // blkparse takes the size back off the dispatched total (and lets it wrap below zero).
                c.Requeued++;
                c.KiBDispatched -= kib;
                LeaveDevice(ref c);
                break;
            case BlockTraceAction.Complete:
                c.Completed++;
                c.KiBCompleted += kib;
                LeaveDevice(ref c);
                break;
            case BlockTraceAction.UnplugIo:
                _ioUnplugs++;
                break;
            case BlockTraceAction.UnplugTimer:
                _timerUnplugs++;
                break;
        }

        if (_events++ == 0)
            _firstTime = time;
        _lastEventTime = time;
    }

    /// <summary>Like blkparse, never below zero when a trace starts with requests already at the device.</summary>
    private static void LeaveDevice(ref IoCounters c)
    {
        if (c.InFlight > 0)
            c.InFlight--;
    }

    private void AppendProcess(int processId)
    {
        Append('[');
        AppendText(_names.TryGetValue(processId, out string? name) ? name : UnknownProcess, 0);
        Append(']');
    }

    private void Append(char c) => _line[_length++] = c;

    private void Append(ReadOnlySpan<char> text) => AppendPadded(text, 0, ' ');

    /// <summary>printf-style "%Nd" (width &gt; 0), "%-Nd" (width &lt; 0) or "%d" (0).</summary>
    private void AppendNumber<T>(T value, int width, bool zeroPad = false) where T : ISpanFormattable
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out int count, default, CultureInfo.InvariantCulture);
        AppendPadded(digits[..count], width, zeroPad ? '0' : ' ');
    }

    private void AppendText(ReadOnlySpan<char> text, int width)
    {
        if (_length + text.Length + Math.Abs(width) >= _line.Length - 1)
            text = text[..Math.Max(0, _line.Length - 1 - _length - Math.Abs(width))];
        AppendPadded(text, width, ' ');
    }

    private void AppendPadded(ReadOnlySpan<char> text, int width, char pad)
    {
        int padding = Math.Max(0, Math.Abs(width) - text.Length);
        if (width > 0)
            for (; padding > 0; padding--)
                _line[_length++] = pad;
        text.CopyTo(_line.AsSpan(_length));
        _length += text.Length;
        for (; padding > 0; padding--)
            _line[_length++] = ' ';
    }

    /// <summary>One direction's share of blkparse's io_stats.</summary>
    private struct IoCounters
    {
        public ulong Queued, KiBQueued, Merges, KiBMerged, Dispatches, KiBDispatched, Requeued, Completed, KiBCompleted;
        public uint InFlight, MaxDepth;
    }
}
