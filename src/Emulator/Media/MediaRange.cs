namespace Hardware.Emulator.Media;

/// <summary>
/// The one range check every media model applies at its public edge. The drive answers out-of-range commands with
/// IDNF before they reach the media, so a range that fails here is a bug in the caller.
/// </summary>
internal static class MediaRange
{
    public static void Validate(long lba, long sectorCount, long minimumCount, long capacitySectors)
    {
        if (lba < 0 || sectorCount < minimumCount || lba > capacitySectors - sectorCount)
            throw new ArgumentOutOfRangeException(nameof(lba),
                $"sectors {lba}+{sectorCount} are outside the medium's 0..{capacitySectors} (at least {minimumCount} required)");
    }
}
