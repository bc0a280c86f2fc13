namespace Hardware.Emulator.Platform;

/// <summary>
/// The processor's memory-mapped I/O path: a 32-bit access to a physical address is routed to the PCI function
/// whose memory BAR decodes it. Like a real bus, an access nobody claims (no BAR there, or the function's memory
/// decoding is off) completes anyway: reads return all ones and writes vanish, and the log says so.
/// </summary>
public sealed class MmioBus
{
    private const string Source = "mmio";

    private readonly DeviceLog _log;
    private readonly List<PciBus> _buses = [];
    private PciFunction[] _functions = [];
    private PciFunction? _lastHit;

    public MmioBus(DeviceLog log)
    {
        _log = log;
    }

    /// <summary>Routes accesses to the functions of <paramref name="bus"/> (idempotent; firmware calls it).</summary>
    public void Connect(PciBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (_buses.Contains(bus))
            return;
        _buses.Add(bus);
        Refresh();
    }

    public uint Read32(ulong address)
    {
        if (!CheckAligned(address, "read"))
            return 0xFFFF_FFFF;
        if (Decode(address, out PciFunction? function, out int bar, out ulong offset))
            return function.ReadMmio32(bar, offset);
        return 0xFFFF_FFFF;
    }

    public void Write32(ulong address, uint value)
    {
        if (!CheckAligned(address, "write"))
            return;
        if (Decode(address, out PciFunction? function, out int bar, out ulong offset))
            function.WriteMmio32(bar, offset, value);
        else
            _log.Warning(Source, $"write of 0x{value:x8} to 0x{address:x} dropped");
    }

    private bool Decode(ulong address, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PciFunction? function, out int bar, out ulong offset)
    {
        if (_buses.Count > 0 && _functions.Length != CountFunctions())
            Refresh();
        // Accesses come in runs to one device: try the last one first.
        if (_lastHit is not null && _lastHit.TryDecode(address, out bar, out offset, out _))
        {
            function = _lastHit;
            return true;
        }
        bool disabled = false;
        foreach (PciFunction candidate in _functions)
        {
            if (candidate.TryDecode(address, out bar, out offset, out bool decodeDisabled))
            {
                _lastHit = candidate;
                function = candidate;
                return true;
            }
            disabled |= decodeDisabled;
        }
        _log.Warning(Source, disabled
            ? $"access to 0x{address:x} hits a BAR whose memory decoding is disabled"
            : $"access to unmapped address 0x{address:x}");
        function = null;
        bar = -1;
        offset = 0;
        return false;
    }

    private bool CheckAligned(ulong address, string kind)
    {
        if ((address & 3) == 0)
            return true;
        _log.Warning(Source, $"misaligned 32-bit {kind} at 0x{address:x}");
        return false;
    }

    private int CountFunctions()
    {
        int count = 0;
        for (int i = 0; i < _buses.Count; i++)
            count += _buses[i].FunctionCount;
        return count;
    }

    private void Refresh()
    {
        _functions = _buses.SelectMany(b => b.AttachedFunctions).ToArray();
        _lastHit = null;
    }
}
