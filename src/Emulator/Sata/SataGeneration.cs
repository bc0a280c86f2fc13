namespace Hardware.Emulator.Sata;

/// <summary>SATA link generations; the payload rate is 8b/10b-encoded line rate divided by ten.</summary>
public enum SataGeneration
{
    /// <summary>1.5 Gb/s, 150 MB/s.</summary>
    Gen1 = 1,
    /// <summary>3.0 Gb/s, 300 MB/s.</summary>
    Gen2 = 2,
    /// <summary>6.0 Gb/s, 600 MB/s.</summary>
    Gen3 = 3,
}

public static class SataGenerationExtensions
{
    /// <summary>Payload bytes per second on the wire (line rate / 10 for 8b/10b).</summary>
    public static long BytesPerSecond(this SataGeneration generation) => generation switch
    {
        SataGeneration.Gen1 => 150_000_000,
        SataGeneration.Gen2 => 300_000_000,
        SataGeneration.Gen3 => 600_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "unknown SATA generation"),
    };

    /// <summary>Virtual nanoseconds to move <paramref name="bytes"/> over the link.</summary>
    public static long TransferNanoseconds(this SataGeneration generation, long bytes) =>
        (long)Math.Ceiling(bytes * 1e9 / generation.BytesPerSecond());
}
