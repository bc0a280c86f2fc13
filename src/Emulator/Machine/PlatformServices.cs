using Hardware.Emulator.Platform;

namespace Hardware.Emulator.Machine;

/// <summary>
/// What a driver may touch: PCI configuration space, MMIO, guest memory (and the frame allocator), the interrupt
/// controller, the clock and the log. This is the hard boundary of the stack - nothing here leads to a device
/// object, so a driver works exactly as it would against real hardware.
/// </summary>
public sealed record PlatformServices(
    Simulation.Simulation Simulation,
    GuestMemory Memory,
    PageFrameAllocator Frames,
    PciBus Pci,
    MmioBus Mmio,
    InterruptController Interrupts,
    DeviceLog Log);
