using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// The NCQ Command Error log page (log address 10h, ACS-3 9.13, 512 bytes): the tag and the taskfile of the queued
/// command that failed. Reading it is what clears the drive's NCQ error condition. Byte 511 is a checksum that makes
/// the sum of all 512 bytes zero.
/// </summary>
public struct NcqCommandErrorLog
{
    public const int Size = 512;
    public const int ChecksumOffset = 511;

    /// <summary>Byte 0 bits 4:0: the tag of the failed command (valid when <see cref="NotQueued"/> is clear).</summary>
    public int Tag;
    /// <summary>Byte 0 bit 7 (NQ): the error was not caused by a queued command; the tag is not valid.</summary>
    public bool NotQueued;
    public AtaStatus Status;
    public AtaError Error;
    /// <summary>LBA 47:0: bytes 4-6 (7:0, 15:8, 23:16) and 8-10 (31:24, 39:32, 47:40).</summary>
    public ulong Lba;
    public byte Device;
    /// <summary>Count 15:0 in bytes 12-13.</summary>
    public ushort Count;

    public static NcqCommandErrorLog Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"the NCQ Command Error log is {Size} bytes", nameof(source));
        return new NcqCommandErrorLog
        {
            Tag = source[0] & 0x1F,
            NotQueued = (source[0] & 0x80) != 0,
            Status = (AtaStatus)source[2],
            Error = (AtaError)source[3],
            Lba = FisLba.Read(source),
            Device = source[7],
            Count = (ushort)(source[12] | source[13] << 8),
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"the NCQ Command Error log is {Size} bytes", nameof(destination));
        Span<byte> page = destination[..Size];
        page.Clear();
        page[0] = (byte)((Tag & 0x1F) | (NotQueued ? 0x80 : 0));
        page[2] = (byte)Status;
        page[3] = (byte)Error;
        FisLba.Write(page, Lba);
        page[7] = Device;
        page[12] = (byte)Count;
        page[13] = (byte)(Count >> 8);
        page[ChecksumOffset] = DataStructureChecksum.Compute(page);
    }
}
