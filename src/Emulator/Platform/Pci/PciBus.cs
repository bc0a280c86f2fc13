namespace Hardware.Emulator.Platform;

/// <summary>
/// A PCI bus with configuration mechanism access: what a driver or firmware reaches through CF8h/CFCh or ECAM.
/// Reads of a slot with no function return all ones (a master abort the host bridge turns into 0xFFFF...), which
/// is how enumeration tells an empty slot. Misaligned or out-of-range accesses are logged and answered the same way.
/// </summary>
public sealed class PciBus
{
    private const string Source = "pci";

    private readonly DeviceLog _log;
    private readonly Dictionary<PciAddress, PciFunction> _functions = [];
    private readonly List<PciAddress> _addresses = [];

    public PciBus(DeviceLog log, byte number = 0)
    {
        _log = log;
        Number = number;
    }

    public byte Number { get; }

    internal DeviceLog Log => _log;

    /// <summary>Occupied addresses in ascending order.</summary>
    public IReadOnlyList<PciAddress> Functions => _addresses;

    /// <summary>How many functions are attached (the MMIO bus checks it on every access, so no interface call).</summary>
    internal int FunctionCount => _addresses.Count;

    /// <summary>Plugs <paramref name="pciFunction"/> in at device <paramref name="device"/>, function <paramref name="function"/>.</summary>
    public void Attach(PciFunction pciFunction, int device, int function = 0)
    {
        ArgumentNullException.ThrowIfNull(pciFunction);
        if ((uint)device >= PciAddress.MaxDevices)
            throw new ArgumentOutOfRangeException(nameof(device), device, "device numbers are 0-31");
        if ((uint)function >= PciAddress.MaxFunctions)
            throw new ArgumentOutOfRangeException(nameof(function), function, "function numbers are 0-7");
        if (pciFunction.Address is not null)
            throw new InvalidOperationException($"the function is already attached at {pciFunction.Address}");
        var address = new PciAddress(Number, (byte)device, (byte)function);
        if (!_functions.TryAdd(address, pciFunction))
            throw new InvalidOperationException($"{address} is already occupied");
        pciFunction.Address = address;
        _addresses.Add(address);
        _addresses.Sort(static (a, b) => (a.Device << 3 | a.Function).CompareTo(b.Device << 3 | b.Function));
    }

    /// <summary>The attached function objects, for the MMIO bus's decoding (not for drivers).</summary>
    internal IEnumerable<PciFunction> AttachedFunctions => _addresses.Select(a => _functions[a]);

    public uint ReadConfig32(PciAddress address, int offset) => Read(address, offset, 4);

    public ushort ReadConfig16(PciAddress address, int offset) => (ushort)Read(address, offset, 2);

    public byte ReadConfig8(PciAddress address, int offset) => (byte)Read(address, offset, 1);

    public void WriteConfig32(PciAddress address, int offset, uint value) => Write(address, offset, 4, value);

    public void WriteConfig16(PciAddress address, int offset, ushort value) => Write(address, offset, 2, value);

    public void WriteConfig8(PciAddress address, int offset, byte value) => Write(address, offset, 1, value);

    private uint Read(PciAddress address, int offset, int size)
    {
        uint allOnes = size == 4 ? 0xFFFF_FFFF : (1u << (8 * size)) - 1;
        if (!_functions.TryGetValue(address, out PciFunction? function))
            return allOnes;
        if (!IsValidAccess(function, address, offset, size, "read"))
            return allOnes;
        if (offset >= function.ConfigSpaceSize)
            return 0; // extended space of a conventional function: reads as zero, as on PCI Express
        return function.ReadConfig(offset, size);
    }

    private void Write(PciAddress address, int offset, int size, uint value)
    {
        if (!_functions.TryGetValue(address, out PciFunction? function))
            return;
        if (!IsValidAccess(function, address, offset, size, "write"))
            return;
        if (offset >= function.ConfigSpaceSize)
        {
            _log.Warning(Source, $"{address}: config write of 0x{value:x} at 0x{offset:x} is beyond its {function.ConfigSpaceSize}-byte space; dropped");
            return;
        }
        function.WriteConfig(offset, size, value);
    }

    private bool IsValidAccess(PciFunction function, PciAddress address, int offset, int size, string kind)
    {
        if (offset < 0 || offset + size > PciFunction.ExtendedConfigSize || offset % size != 0)
        {
            _log.Warning(Source, $"{address}: misaligned or out-of-range config {kind} of {size} byte(s) at 0x{offset:x}");
            return false;
        }
        return true;
    }
}
