namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// The kernel's internal dev_t as blktrace records it: major in the high 12 bits, minor in the low 20 (MINORBITS),
/// so sda is 8,0 and sdb1 is 8,17.
/// </summary>
public static class BlktraceDevice
{
    public const int MinorBits = 20;
    public const uint MinorMask = (1u << MinorBits) - 1;
    public const int MaxMajor = (1 << (32 - MinorBits)) - 1;

    public static uint Make(int major, int minor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(major, MaxMajor);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minor, (int)MinorMask);
        return (uint)major << MinorBits | (uint)minor;
    }

    public static int Major(uint device) => (int)(device >> MinorBits);

    public static int Minor(uint device) => (int)(device & MinorMask);
}
