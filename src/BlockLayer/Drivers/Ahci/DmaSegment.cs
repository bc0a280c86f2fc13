namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>A piece of a transfer's buffer in guest physical memory: one PRD entry's worth at most.</summary>
public readonly record struct DmaSegment(ulong Address, int Length);
