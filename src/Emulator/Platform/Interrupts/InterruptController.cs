using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Platform;

/// <summary>
/// An I/O APIC plus local APIC, reduced to what a storage study needs: 24 level-triggered inputs (vector = input
/// number) and MSI messages (vector = data bits 7:0, 32-255), delivered to registered handlers as simulation events
/// <see cref="DeliveryLatency"/> after they are raised.
/// </summary>
/// <remarks>
/// A vector is pending at most once: MSIs to a vector that is already pending coalesce, as in the local APIC's
/// IRR. A level-triggered input that is still asserted when its handler returns (the end of interrupt) is
/// delivered again after the latency; one that was lowered before its delivery time is not delivered at all.
/// </remarks>
public sealed class InterruptController : ISimEventHandler
{
    public const int LineCount = 24;
    public const int FirstMsiVector = 32;
    public const int VectorCount = 256;
    public const ulong MsiAddressBase = 0xFEE0_0000;
    public const ulong MsiAddressLimit = 0xFEEF_FFFF;

    private const string Source = "irq";

    private readonly Simulation.Simulation _simulation;
    private readonly DeviceLog _log;
    private readonly IInterruptHandler?[] _handlers = new IInterruptHandler?[VectorCount];
    private readonly bool[] _pending = new bool[VectorCount];
    private readonly bool[] _inService = new bool[LineCount];
    private readonly int[] _raisedSources = new int[LineCount];
    private long _deliveryLatency;

    public InterruptController(Simulation.Simulation simulation, DeviceLog log, long deliveryLatency = 1_000)
    {
        _simulation = simulation;
        _log = log;
        DeliveryLatency = deliveryLatency;
    }

    /// <summary>Virtual nanoseconds from a device raising an interrupt to its handler running.</summary>
    public long DeliveryLatency
    {
        get => _deliveryLatency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _deliveryLatency = value;
        }
    }

    /// <summary>Interrupts handed to a handler so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Valid MSI writes received, counted before coalescing.</summary>
    public long MessagesSignalled { get; private set; }

    /// <summary>Interrupts that found no handler (logged).</summary>
    public long Unhandled { get; private set; }

    public void RegisterHandler(int vector, IInterruptHandler handler)
    {
        CheckVector(vector);
        ArgumentNullException.ThrowIfNull(handler);
        if (_handlers[vector] is not null)
            throw new InvalidOperationException($"vector {vector} already has a handler");
        _handlers[vector] = handler;
        if (vector < LineCount && _raisedSources[vector] > 0)
            SchedulePending(vector);
    }

    public void UnregisterHandler(int vector)
    {
        CheckVector(vector);
        _handlers[vector] = null;
    }

    /// <summary>A new source connection to input <paramref name="irq"/> (0-23), initially lowered.</summary>
    public InterruptLine GetLine(int irq)
    {
        if ((uint)irq >= LineCount)
            throw new ArgumentOutOfRangeException(nameof(irq), irq, $"interrupt inputs are 0-{LineCount - 1}");
        return new InterruptLine(this, irq);
    }

    /// <summary>Whether any source holds input <paramref name="irq"/> asserted.</summary>
    public bool IsAsserted(int irq) => (uint)irq < LineCount && _raisedSources[irq] > 0;

    /// <summary>A message signalled interrupt: the memory write a device's MSI capability produces.</summary>
    public void SignalMsi(ulong address, uint data)
    {
        if (address < MsiAddressBase || address > MsiAddressLimit)
        {
            _log.Warning(Source, $"MSI write to 0x{address:x} is outside the interrupt window 0xFEE00000-0xFEEFFFFF; dropped");
            return;
        }
        int vector = (int)(data & 0xFF);
        if (vector < FirstMsiVector)
        {
            _log.Warning(Source, $"MSI with vector {vector} (reserved for exceptions); dropped");
            return;
        }
        MessagesSignalled++;
        SchedulePending(vector);
    }

    internal void OnSourceLevelChanged(int irq, bool raised)
    {
        int before = _raisedSources[irq];
        _raisedSources[irq] = before + (raised ? 1 : -1);
        if (before == 0 && raised && !_inService[irq])
            SchedulePending(irq);
    }

    private void SchedulePending(int vector)
    {
        if (_pending[vector])
            return;
        _pending[vector] = true;
        _simulation.Schedule(_deliveryLatency, this, vector);
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        int vector = (int)argument;
        _pending[vector] = false;
        bool isLine = vector < LineCount;
        if (isLine && _raisedSources[vector] == 0)
            return; // lowered before it reached the processor
        IInterruptHandler? handler = _handlers[vector];
        if (handler is null)
        {
            Unhandled++;
            _log.Warning(Source, $"interrupt on vector {vector} with no handler registered");
            return;
        }
        Delivered++;
        if (!isLine)
        {
            handler.HandleInterrupt(vector);
            return;
        }
        _inService[vector] = true;
        try
        {
            handler.HandleInterrupt(vector);
        }
        finally
        {
            _inService[vector] = false;
        }
        if (_raisedSources[vector] > 0)
            SchedulePending(vector);
    }

    private static void CheckVector(int vector)
    {
        if ((uint)vector >= VectorCount || (vector >= LineCount && vector < FirstMsiVector))
            throw new ArgumentOutOfRangeException(nameof(vector), vector, $"vectors are 0-{LineCount - 1} (lines) or {FirstMsiVector}-255 (MSI)");
    }
}
