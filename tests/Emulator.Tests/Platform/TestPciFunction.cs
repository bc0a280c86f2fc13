using Hardware.Emulator.Platform;

namespace Hardware.Emulator.Tests.Platform;

/// <summary>A bare PCI function for bus tests: one memory BAR per requested size, MMIO as a small register file.</summary>
internal sealed class TestPciFunction : PciFunction
{
    private readonly Dictionary<(int Bar, ulong Offset), uint> _registers = [];

    public TestPciFunction(params uint[] barSizes)
        : base(0x1234, 0x5678, 0x01_80_00, 0x07, 0xAAAA, 0xBBBB)
    {
        for (int i = 0; i < barSizes.Length; i++)
            DefineMemoryBar(i, barSizes[i]);
        SetInterruptPin(PciInterruptPin.IntB);
    }

    public List<(int Bar, ulong Offset, uint Value)> Writes { get; } = [];

    public void AddTestCapability(PciCapabilityId id, int offset, int length) => AddCapability(id, offset, length);

    public void AddMsi(int offset) => AddMsiCapability(offset);

    public void RecordMasterAbort() => SignalReceivedMasterAbort();

    public bool BusMaster => BusMasterEnabled;

    public bool Msi => MsiEnabled;

    public ulong MessageAddress => MsiAddress;

    public uint MessageData => MsiData;

    protected internal override uint ReadMmio32(int bar, ulong offset) =>
        _registers.TryGetValue((bar, offset), out uint value) ? value : 0xA000_0000u | (uint)(bar << 16) | (uint)offset;

    protected internal override void WriteMmio32(int bar, ulong offset, uint value)
    {
        Writes.Add((bar, offset, value));
        _registers[(bar, offset)] = value;
    }
}
