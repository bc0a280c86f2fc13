namespace Hardware.Emulator.Ata;

/// <summary>A run of <see cref="Count"/> logical sectors from <see cref="Lba"/>.</summary>
internal readonly record struct LbaExtent(long Lba, long Count)
{
    public long End => Lba + Count;

    public bool Overlaps(long lba, long count) => lba < End && Lba < lba + count;
}
