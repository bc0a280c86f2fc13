namespace Hardware.Emulator.Platform;

/// <summary>
/// What a BIOS does to PCI before the operating system runs: size every BAR the way software does (write all
/// ones, read back the mask), place it naturally aligned in an MMIO window, route INTx to an interrupt line and
/// enable memory decoding. Bus mastering stays off: enabling DMA is the driver's decision.
/// </summary>
public static class PciFirmware
{
    private const string Source = "firmware";

    /// <summary>The window ends where the I/O APIC's registers begin.</summary>
    public const ulong MmioWindowEnd = 0xFEC0_0000;

    /// <summary>First I/O APIC input used for PCI INTx (PIRQA-D on inputs 16-19, as on PC chipsets).</summary>
    public const int FirstPciIrq = 16;

    public static void AssignResources(PciBus bus, MmioBus mmio, ulong mmioWindowBase = 0xFEB0_0000)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(mmio);
        mmio.Connect(bus);
        ulong next = mmioWindowBase;
        foreach (PciAddress address in bus.Functions)
        {
            bool hasMemory = false;
            for (int bar = 0; bar < PciBarDefinition.Count; bar++)
            {
                int offset = (int)PciConfigRegister.Bar0 + bar * 4;
                uint original = bus.ReadConfig32(address, offset);
                bus.WriteConfig32(address, offset, 0xFFFF_FFFF);
                uint probe = bus.ReadConfig32(address, offset);
                bus.WriteConfig32(address, offset, original);
                if (probe == 0)
                    continue;
                if ((probe & 1) != 0)
                {
                    bus.Log.Warning(Source, $"{address} BAR{bar} is an I/O BAR; this platform has no I/O space, left unassigned");
                    continue;
                }
                ulong size = (uint)(~(probe & 0xFFFF_FFF0u) + 1u);
                ulong placed = (next + size - 1) & ~(size - 1);
                if (placed + size > MmioWindowEnd)
                {
                    bus.Log.Error(Source, $"{address} BAR{bar} ({size} bytes) does not fit in the MMIO window; left unassigned");
                    continue;
                }
                bus.WriteConfig32(address, offset, (uint)placed);
                next = placed + size;
                hasMemory = true;
            }
            byte pin = bus.ReadConfig8(address, (int)PciConfigRegister.InterruptPin);
            if (pin is >= 1 and <= 4)
                bus.WriteConfig8(address, (int)PciConfigRegister.InterruptLine, (byte)RouteIntx(address.Device, pin));
            if (hasMemory)
            {
                ushort command = bus.ReadConfig16(address, (int)PciConfigRegister.Command);
                bus.WriteConfig16(address, (int)PciConfigRegister.Command, (ushort)(command | (ushort)PciCommand.MemorySpace));
            }
        }
    }

    /// <summary>The usual swizzle: pin A of device d goes to PIRQ (d mod 4), pin B to the next one, and so on.</summary>
    public static int RouteIntx(int device, int pin) => FirstPciIrq + (device + pin - 1) % 4;
}
