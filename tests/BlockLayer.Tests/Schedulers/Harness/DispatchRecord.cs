namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>One dispatch as the harness saw it; kept by value because requests are pooled and reused.</summary>
public readonly record struct DispatchRecord(long Time, BioOp Op, BioFlags Flags, long Sector, int SectorCount, int ProcessId, long Id);
