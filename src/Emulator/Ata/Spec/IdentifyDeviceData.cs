using System.Buffers.Binary;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// The 512 bytes of IDENTIFY DEVICE (ACS-3 7.12.7) as a typed value: <see cref="Write"/> lays out every word the drive
/// reports, <see cref="Read"/> parses them back (for a driver or a report).
/// </summary>
public sealed record IdentifyDeviceData
{
    public const int Size = 512;
    public const int Words = Size / 2;
    public const byte IntegritySignature = 0xA5;

    /// <summary>The largest value words 60-61 carry; bigger drives report it and put the size in words 100-103.</summary>
    public const long Lba28Limit = 0x0FFF_FFFF;

    public const int SerialLength = 20;
    public const int FirmwareLength = 8;
    public const int ModelLength = 40;

    /// <summary>Word 81: ACS-3 published, ANSI INCITS 522-2014.</summary>
    public const ushort MinorVersionAcs3 = 0x010A;

    public string Serial { get; init; } = "";
    public string Firmware { get; init; } = "";
    public string Model { get; init; } = "";
    public long CapacitySectors { get; init; }
    public int LogicalSectorSize { get; init; } = 512;
    public int PhysicalSectorSize { get; init; } = 512;
    /// <summary>NCQ queue depth (1-32); 0 when NCQ is not supported.</summary>
    public int QueueDepth { get; init; }
    public SataGeneration MaxGeneration { get; init; } = SataGeneration.Gen3;
    /// <summary>The negotiated link speed, or null before the link is up (word 77 bits 3:1 = 0).</summary>
    public SataGeneration? CurrentGeneration { get; init; }
    public bool WriteCacheSupported { get; init; }
    public bool WriteCacheEnabled { get; init; }
    public bool ReadLookAheadSupported { get; init; }
    public bool ReadLookAheadEnabled { get; init; }
    public bool TrimSupported { get; init; }
    /// <summary>Word 105; meaningful with TRIM.</summary>
    public ushort MaxDsmBlocks { get; init; }
    public ushort NominalRotationRate { get; init; }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"IDENTIFY DEVICE data is {Size} bytes", nameof(destination));
        if (LogicalSectorSize < 512 || LogicalSectorSize % 512 != 0)
            throw new InvalidOperationException($"logical sector size {LogicalSectorSize} is not a multiple of 512");
        if (PhysicalSectorSize < LogicalSectorSize || PhysicalSectorSize % LogicalSectorSize != 0
            || !IsPowerOfTwo(PhysicalSectorSize / LogicalSectorSize))
            throw new InvalidOperationException($"physical sector size {PhysicalSectorSize} is not a power-of-two multiple of {LogicalSectorSize}");
        if (QueueDepth is < 0 or > 32)
            throw new InvalidOperationException($"NCQ queue depth {QueueDepth} is outside 0-32");

        Span<byte> data = destination[..Size];
        data.Clear();

        // Fixed, non-removable ATA device (bit 6 of the older standards; bit 15 = 0 is "ATA").
        Set(data, IdentifyWord.GeneralConfiguration, 0x0040);
        // Spin-up not required to complete IDENTIFY; the response is complete.
        Set(data, IdentifyWord.SpecificConfiguration, 0xC837);
        AtaString.Write(data.Slice((int)IdentifyWord.SerialNumber * 2, SerialLength), Serial);
        AtaString.Write(data.Slice((int)IdentifyWord.FirmwareRevision * 2, FirmwareLength), Firmware);
        AtaString.Write(data.Slice((int)IdentifyWord.ModelNumber * 2, ModelLength), Model);
        Set(data, IdentifyWord.MaxSectorsPerDrqBlock, 0x8010);
        Set(data, IdentifyWord.TrustedComputing, 0x4000);
        // IORDY supported (11) and may be disabled (10), LBA (9), DMA (8).
        Set(data, IdentifyWord.Capabilities, 0x0F00);
        Set(data, IdentifyWord.Capabilities2, 0x4000);
        Set(data, IdentifyWord.FieldValidity, 0x0006);
        SetDoubleWord(data, IdentifyWord.TotalSectorsLba28, (uint)Math.Min(CapacitySectors, Lba28Limit));
        Set(data, IdentifyWord.MultiwordDmaModes, 0x0007);
        Set(data, IdentifyWord.PioModes, 0x0003);
        Set(data, IdentifyWord.MinMultiwordDmaCycleNs, 120);
        Set(data, IdentifyWord.RecommendedMultiwordDmaCycleNs, 120);
        Set(data, IdentifyWord.MinPioCycleNs, 120);
        Set(data, IdentifyWord.MinPioCycleIordyNs, 120);
        // The stores return zeros for discarded ranges, so reads after TRIM are deterministic zeros.
        Set(data, IdentifyWord.AdditionalSupported, (ushort)(TrimSupported ? 0x4020 : 0));
        if (QueueDepth > 0)
            Set(data, IdentifyWord.QueueDepth, (ushort)(QueueDepth - 1));
        Set(data, IdentifyWord.SataCapabilities, (ushort)(SpeedBits(MaxGeneration) | (QueueDepth > 0 ? 0x0100 : 0)));
        Set(data, IdentifyWord.SataAdditionalCapabilities, (ushort)(CurrentGeneration is { } current ? (int)current << 1 : 0));
        // Bit 2: DMA Setup FIS auto-activate (queued writes need no DMA Activate FIS); bit 4: in-order data delivery;
        // bit 6: software settings preservation (SET FEATURES settings survive COMRESET).
        Set(data, IdentifyWord.SataFeaturesSupported, 0x0054);
        Set(data, IdentifyWord.SataFeaturesEnabled, 0x0054);
        // ATA/ATAPI-5, -6, -7, ATA8-ACS, ACS-2 and ACS-3.
        Set(data, IdentifyWord.MajorVersion, 0x07E0);
        Set(data, IdentifyWord.MinorVersion, MinorVersionAcs3);
        ushort cacheBits = (ushort)((WriteCacheSupported ? 0x0020 : 0) | (ReadLookAheadSupported ? 0x0040 : 0));
        Set(data, IdentifyWord.CommandSetSupported1, cacheBits);
        // Bit 14 shall be one; FLUSH CACHE EXT (13), FLUSH CACHE (12), 48-bit address (10).
        Set(data, IdentifyWord.CommandSetSupported2, 0x7400);
        // Bit 14 shall be one; WRITE DMA FUA EXT (6), General Purpose Logging (5).
        Set(data, IdentifyWord.CommandSetSupportedExtension, 0x4060);
        Set(data, IdentifyWord.CommandSetEnabled1, (ushort)((WriteCacheEnabled ? 0x0020 : 0) | (ReadLookAheadEnabled ? 0x0040 : 0)));
        Set(data, IdentifyWord.CommandSetEnabled2, 0x3400);
        Set(data, IdentifyWord.CommandSetDefault, 0x4060);
        // Ultra DMA 0-6 supported, mode 6 selected.
        Set(data, IdentifyWord.UltraDmaModes, 0x407F);
        Set(data, IdentifyWord.HardwareResetResults, 0x0000);
        BinaryPrimitives.WriteUInt64LittleEndian(data[((int)IdentifyWord.TotalSectorsLba48 * 2)..], (ulong)CapacitySectors);
        if (TrimSupported)
            Set(data, IdentifyWord.MaxDsmBlocks, MaxDsmBlocks);
        Set(data, IdentifyWord.PhysicalLogicalSectorSize, SectorSizeWord());
        if (LogicalSectorSize > 512)
            SetDoubleWord(data, IdentifyWord.LogicalSectorSize, (uint)(LogicalSectorSize / 2));
        Set(data, IdentifyWord.DataSetManagement, (ushort)(TrimSupported ? 0x0001 : 0));
        Set(data, IdentifyWord.NominalRotationRate, NominalRotationRate);

        data[Size - 2] = IntegritySignature;
        data[Size - 1] = DataStructureChecksum.Compute(data);
    }

    public static IdentifyDeviceData Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"IDENTIFY DEVICE data is {Size} bytes", nameof(source));
        ushort sectorWord = Word(source, IdentifyWord.PhysicalLogicalSectorSize);
        bool sectorWordValid = (sectorWord & 0xC000) == 0x4000;
        int logical = sectorWordValid && (sectorWord & 0x1000) != 0
            ? (int)DoubleWord(source, IdentifyWord.LogicalSectorSize) * 2
            : 512;
        int physical = sectorWordValid && (sectorWord & 0x2000) != 0 ? logical << (sectorWord & 0xF) : logical;
        ushort sata = Word(source, IdentifyWord.SataCapabilities);
        int current = (Word(source, IdentifyWord.SataAdditionalCapabilities) >> 1) & 0x7;
        bool ncq = (sata & 0x0100) != 0;
        bool trim = (Word(source, IdentifyWord.DataSetManagement) & 0x0001) != 0;
        ushort supported = Word(source, IdentifyWord.CommandSetSupported1);
        ushort enabled = Word(source, IdentifyWord.CommandSetEnabled1);
        return new IdentifyDeviceData
        {
            Serial = AtaString.Read(source.Slice((int)IdentifyWord.SerialNumber * 2, SerialLength)),
            Firmware = AtaString.Read(source.Slice((int)IdentifyWord.FirmwareRevision * 2, FirmwareLength)),
            Model = AtaString.Read(source.Slice((int)IdentifyWord.ModelNumber * 2, ModelLength)),
            CapacitySectors = (long)BinaryPrimitives.ReadUInt64LittleEndian(source[((int)IdentifyWord.TotalSectorsLba48 * 2)..]),
            LogicalSectorSize = logical,
            PhysicalSectorSize = physical,
            QueueDepth = ncq ? (Word(source, IdentifyWord.QueueDepth) & 0x1F) + 1 : 0,
            MaxGeneration = (sata & 0x0008) != 0 ? SataGeneration.Gen3 : (sata & 0x0004) != 0 ? SataGeneration.Gen2 : SataGeneration.Gen1,
            CurrentGeneration = current is >= 1 and <= 3 ? (SataGeneration)current : null,
            WriteCacheSupported = (supported & 0x0020) != 0,
            WriteCacheEnabled = (enabled & 0x0020) != 0,
            ReadLookAheadSupported = (supported & 0x0040) != 0,
            ReadLookAheadEnabled = (enabled & 0x0040) != 0,
            TrimSupported = trim,
            MaxDsmBlocks = trim ? Word(source, IdentifyWord.MaxDsmBlocks) : (ushort)0,
            NominalRotationRate = Word(source, IdentifyWord.NominalRotationRate),
        };
    }

    /// <summary>Word 255 carries the A5h signature and a checksum that makes all 512 bytes sum to zero.</summary>
    public static bool HasValidIntegrityWord(ReadOnlySpan<byte> source) =>
        source.Length >= Size && source[Size - 2] == IntegritySignature && DataStructureChecksum.IsValid(source[..Size]);

    public static ushort Word(ReadOnlySpan<byte> data, IdentifyWord word) => Word(data, (int)word);

    public static ushort Word(ReadOnlySpan<byte> data, int index) => BinaryPrimitives.ReadUInt16LittleEndian(data[(index * 2)..]);

    /// <summary>Two consecutive words as a 32-bit value, the first word least significant.</summary>
    public static uint DoubleWord(ReadOnlySpan<byte> data, IdentifyWord word) =>
        BinaryPrimitives.ReadUInt32LittleEndian(data[((int)word * 2)..]);

    private ushort SectorSizeWord()
    {
        int ratio = PhysicalSectorSize / LogicalSectorSize;
        int value = 0x4000;
        if (ratio > 1)
            value |= 0x2000 | System.Numerics.BitOperations.Log2((uint)ratio);
        if (LogicalSectorSize > 512)
            value |= 0x1000;
        return (ushort)value;
    }

    private static ushort SpeedBits(SataGeneration max) => max switch
    {
        SataGeneration.Gen1 => 0x0002,
        SataGeneration.Gen2 => 0x0006,
        SataGeneration.Gen3 => 0x000E,
        _ => throw new ArgumentOutOfRangeException(nameof(max), max, "unknown SATA generation"),
    };

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;

    private static void Set(Span<byte> data, IdentifyWord word, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(data[((int)word * 2)..], value);

    private static void SetDoubleWord(Span<byte> data, IdentifyWord word, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(data[((int)word * 2)..], value);
}
