using System.Buffers.Binary;
using System.Text;

namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// One GPT partition entry (128 bytes; a table may use a larger stride, of which these are the first 128).
/// First and last LBA are inclusive; the name is up to 36 UTF-16LE code units, NUL-terminated when shorter.
/// </summary>
public readonly record struct GptPartitionEntry(
    Guid TypeGuid, Guid UniqueGuid, ulong FirstLba, ulong LastLba, ulong Attributes, string Name)
{
    public const int Size = 128;
    public const int TypeGuidOffset = 0;
    public const int UniqueGuidOffset = 16;
    public const int FirstLbaOffset = 32;
    public const int LastLbaOffset = 40;
    public const int AttributesOffset = 48;
    public const int NameOffset = 56;
    public const int NameLength = 36;
    public const int NameBytes = NameLength * sizeof(char);

    /// <summary>An entry whose type GUID is zero is unused, whatever else it holds.</summary>
    public bool IsUsed => TypeGuid != Guid.Empty;

    public static GptPartitionEntry Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        return new GptPartitionEntry(
            new Guid(source.Slice(TypeGuidOffset, 16)),
            new Guid(source.Slice(UniqueGuidOffset, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(source[FirstLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[LastLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[AttributesOffset..]),
            ReadName(source.Slice(NameOffset, NameBytes)));
    }

    public void Write(Span<byte> destination)
    {
        if (Name.Length > NameLength)
            throw new ArgumentException($"a GPT partition name holds at most {NameLength} UTF-16 code units, not {Name.Length}");
        destination = destination[..Size];
        TypeGuid.TryWriteBytes(destination.Slice(TypeGuidOffset, 16));
        UniqueGuid.TryWriteBytes(destination.Slice(UniqueGuidOffset, 16));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstLbaOffset..], FirstLba);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[LastLbaOffset..], LastLba);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[AttributesOffset..], Attributes);
        Span<byte> name = destination.Slice(NameOffset, NameBytes);
        name.Clear();
        for (int i = 0; i < Name.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(name[(i * 2)..], Name[i]);
    }

    // Unpaired surrogates decode to U+FFFD rather than throwing: a name is display data, never a reason to fail.
    private static string ReadName(ReadOnlySpan<byte> nameBytes)
    {
        int length = 0;
        while (length < NameLength && BinaryPrimitives.ReadUInt16LittleEndian(nameBytes[(length * 2)..]) != 0)
            length++;
        return Encoding.Unicode.GetString(nameBytes[..(length * 2)]);
    }
}
