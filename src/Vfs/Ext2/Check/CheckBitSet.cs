namespace Hardware.Vfs.Ext2.Check;

/// <summary>A fixed-size set of small integers (block or inode numbers) as a bit array.</summary>
internal sealed class CheckBitSet(long size)
{
    private readonly ulong[] _words = new ulong[(size + 63) / 64];

    public long Size { get; } = size;

    public bool this[long index] => index >= 0 && index < Size && (_words[index >> 6] & 1UL << (int)(index & 63)) != 0;

    /// <summary>Sets the bit; returns false when it was set already (or lies outside the set).</summary>
    public bool Add(long index)
    {
        if (index < 0 || index >= Size)
            return false;
        ulong bit = 1UL << (int)(index & 63);
        ref ulong word = ref _words[index >> 6];
        if ((word & bit) != 0)
            return false;
        word |= bit;
        return true;
    }
}
