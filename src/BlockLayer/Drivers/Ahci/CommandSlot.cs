using Hardware.Emulator.Platform;

namespace Hardware.BlockLayer.Drivers.Ahci;

internal enum SlotState : byte
{
    Free,
    /// <summary>The command is in the command list with its PxCI (and for NCQ PxSACT) bit set, or failed under recovery.</summary>
    Issued,
    /// <summary>Taken while error handling ran: the command table is built, the command waits for the port to restart.</summary>
    Parked,
}

/// <summary>Which ATA command of a request the slot carries now.</summary>
internal enum RequestStep : byte
{
    /// <summary>FLUSH CACHE EXT before the data of a preflush request.</summary>
    Preflush,
    /// <summary>The request's own command: read, write, flush or trim.</summary>
    Main,
}

/// <summary>
/// One command slot of the port: the request it serves (slot number = request tag), its command table page and
/// what the command header needs when the command is issued.
/// </summary>
internal sealed class CommandSlot
{
    public CommandSlot(int index, PageFrame table)
    {
        Index = index;
        Bit = 1u << index;
        Table = table;
    }

    public int Index { get; }

    public uint Bit { get; }

    public PageFrame Table { get; }

    public Request? Request { get; set; }

    public SlotState State { get; set; }

    public RequestStep Step { get; set; }

    /// <summary>The current command is READ/WRITE FPDMA QUEUED.</summary>
    public bool Queued { get; set; }

    /// <summary>Header W bit: data flows to the device.</summary>
    public bool IsWrite { get; set; }

    /// <summary>Header PRDTL of the request's own command (flush steps send none).</summary>
    public int PrdEntries { get; set; }

    /// <summary>512-byte blocks of range entries a discard sends.</summary>
    public int TrimBlocks { get; set; }

    /// <summary>Opcode of the current command, for the log.</summary>
    public byte Opcode { get; set; }

    /// <summary>The queue timed the request out while it was parked: it goes back to the queue instead of to the device.</summary>
    public bool TimedOutWhileParked { get; set; }

    public void Release()
    {
        Request = null;
        State = SlotState.Free;
        Step = RequestStep.Main;
        Queued = false;
        IsWrite = false;
        PrdEntries = 0;
        TrimBlocks = 0;
        Opcode = 0;
        TimedOutWhileParked = false;
    }
}
