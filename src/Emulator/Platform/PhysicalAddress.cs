namespace Hardware.Emulator.Platform;

/// <summary>A guest physical page frame: index <see cref="Number"/> covers addresses [Number*4096, +4096).</summary>
public readonly record struct PageFrame(long Number)
{
    public const int Size = 4096;
    public const int Shift = 12;

    public ulong Address => (ulong)Number << Shift;

    public static PageFrame Containing(ulong address) => new((long)(address >> Shift));

    public override string ToString() => $"pfn {Number:x}";
}
