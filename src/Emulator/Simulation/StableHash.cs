namespace Hardware.Emulator.Simulation;

/// <summary>FNV-1a, 64-bit: a hash that is the same in every process (unlike string.GetHashCode).</summary>
public static class StableHash
{
    public const ulong Offset = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Fnv1a64(string text)
    {
        ulong hash = Offset;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    public static ulong Add(ulong hash, long value)
    {
        for (int i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (i * 8))) * Prime;
        }
        return hash;
    }
}
