using System.Buffers.Binary;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// struct ext2_inode: the 128-byte base record (a 256-byte inode's extra bytes are not parsed here; they stay in the
/// inode table untouched). i_block holds 12 direct pointers, then the indirect, double and triple indirect ones, or
/// a fast symlink's target.
/// </summary>
public sealed class Ext2Inode
{
    public const int Size = 128;
    public const int DirectBlocks = 12;
    public const int IndirectSlot = 12;
    public const int DoubleIndirectSlot = 13;
    public const int TripleIndirectSlot = 14;
    public const int BlockPointers = 15;
    /// <summary>The bytes of i_block: a symlink whose target is shorter than this keeps it there (a fast symlink).</summary>
    public const int InlineBytes = BlockPointers * 4;

    public const int ModeOffset = 0;
    public const int UidOffset = 2;
    public const int SizeOffset = 4;
    public const int AccessTimeOffset = 8;
    public const int ChangeTimeOffset = 12;
    public const int ModifyTimeOffset = 16;
    public const int DeleteTimeOffset = 20;
    public const int GidOffset = 24;
    public const int LinksCountOffset = 26;
    public const int BlocksOffset = 28;
    public const int FlagsOffset = 32;
    public const int BlockOffset = 40;
    public const int GenerationOffset = 100;
    public const int FileAclOffset = 104;
    public const int SizeHighOffset = 108;
    public const int UidHighOffset = 120;
    public const int GidHighOffset = 122;

    private readonly byte[] _raw = new byte[Size];

    public ushort Mode { get; set; }
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    /// <summary>i_size | i_size_high &lt;&lt; 32 (i_size_high is i_dir_acl on revision 0 and for directories).</summary>
    public ulong FileSize { get; set; }
    public uint AccessTime { get; set; }
    public uint ChangeTime { get; set; }
    public uint ModifyTime { get; set; }
    public uint DeleteTime { get; set; }
    public ushort LinksCount { get; set; }
    /// <summary>i_blocks in 512-byte units.</summary>
    public uint Blocks { get; set; }
    public uint Flags { get; set; }
    public uint Generation { get; set; }
    public uint FileAcl { get; set; }
    public uint[] Block { get; } = new uint[BlockPointers];

    /// <summary>The raw i_block bytes (a fast symlink's target).</summary>
    public ReadOnlySpan<byte> BlockBytes => _raw.AsSpan(BlockOffset, InlineBytes);

    public InodeType Type => (InodeType)(Mode & ModeBits.TypeMask);

    /// <summary>Zeroes every field and the raw bytes, as a new record (for reuse by a recycled inode).</summary>
    public void Clear()
    {
        Array.Clear(_raw);
        Array.Clear(Block);
        Mode = 0;
        Uid = Gid = 0;
        FileSize = 0;
        AccessTime = ChangeTime = ModifyTime = DeleteTime = 0;
        LinksCount = 0;
        Blocks = Flags = Generation = FileAcl = 0;
    }

    /// <summary>
    /// Reads a record. <paramref name="sizeHighIsSize"/> says whether i_size_high extends the size (regular files
    /// on revision 1; for directories the field is i_dir_acl).
    /// </summary>
    public static Ext2Inode Read(ReadOnlySpan<byte> s, bool sizeHighIsSize)
    {
        var inode = new Ext2Inode();
        s[..Size].CopyTo(inode._raw);
        inode.Mode = BinaryPrimitives.ReadUInt16LittleEndian(s[ModeOffset..]);
        inode.Uid = BinaryPrimitives.ReadUInt16LittleEndian(s[UidOffset..]) | (uint)BinaryPrimitives.ReadUInt16LittleEndian(s[UidHighOffset..]) << 16;
        inode.Gid = BinaryPrimitives.ReadUInt16LittleEndian(s[GidOffset..]) | (uint)BinaryPrimitives.ReadUInt16LittleEndian(s[GidHighOffset..]) << 16;
        ulong low = BinaryPrimitives.ReadUInt32LittleEndian(s[SizeOffset..]);
        ulong high = BinaryPrimitives.ReadUInt32LittleEndian(s[SizeHighOffset..]);
        inode.FileSize = sizeHighIsSize && (inode.Mode & ModeBits.TypeMask) == (int)InodeType.Regular ? low | high << 32 : low;
        inode.AccessTime = BinaryPrimitives.ReadUInt32LittleEndian(s[AccessTimeOffset..]);
        inode.ChangeTime = BinaryPrimitives.ReadUInt32LittleEndian(s[ChangeTimeOffset..]);
        inode.ModifyTime = BinaryPrimitives.ReadUInt32LittleEndian(s[ModifyTimeOffset..]);
        inode.DeleteTime = BinaryPrimitives.ReadUInt32LittleEndian(s[DeleteTimeOffset..]);
        inode.LinksCount = BinaryPrimitives.ReadUInt16LittleEndian(s[LinksCountOffset..]);
        inode.Blocks = BinaryPrimitives.ReadUInt32LittleEndian(s[BlocksOffset..]);
        inode.Flags = BinaryPrimitives.ReadUInt32LittleEndian(s[FlagsOffset..]);
        for (int i = 0; i < BlockPointers; i++)
            inode.Block[i] = BinaryPrimitives.ReadUInt32LittleEndian(s[(BlockOffset + 4 * i)..]);
        inode.Generation = BinaryPrimitives.ReadUInt32LittleEndian(s[GenerationOffset..]);
        inode.FileAcl = BinaryPrimitives.ReadUInt32LittleEndian(s[FileAclOffset..]);
        return inode;
    }

    /// <summary>Writes the named fields over the bytes the record was read from (osd fields and the rest kept).</summary>
    public void Write(Span<byte> d)
    {
        _raw.CopyTo(d);
        BinaryPrimitives.WriteUInt16LittleEndian(d[ModeOffset..], Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(d[UidOffset..], (ushort)Uid);
        BinaryPrimitives.WriteUInt16LittleEndian(d[UidHighOffset..], (ushort)(Uid >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(d[GidOffset..], (ushort)Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(d[GidHighOffset..], (ushort)(Gid >> 16));
        BinaryPrimitives.WriteUInt32LittleEndian(d[SizeOffset..], (uint)FileSize);
        if (Type == InodeType.Regular)
            BinaryPrimitives.WriteUInt32LittleEndian(d[SizeHighOffset..], (uint)(FileSize >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(d[AccessTimeOffset..], AccessTime);
        BinaryPrimitives.WriteUInt32LittleEndian(d[ChangeTimeOffset..], ChangeTime);
        BinaryPrimitives.WriteUInt32LittleEndian(d[ModifyTimeOffset..], ModifyTime);
        BinaryPrimitives.WriteUInt32LittleEndian(d[DeleteTimeOffset..], DeleteTime);
        BinaryPrimitives.WriteUInt16LittleEndian(d[LinksCountOffset..], LinksCount);
        BinaryPrimitives.WriteUInt32LittleEndian(d[BlocksOffset..], Blocks);
        BinaryPrimitives.WriteUInt32LittleEndian(d[FlagsOffset..], Flags);
        for (int i = 0; i < BlockPointers; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(d[(BlockOffset + 4 * i)..], Block[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(d[GenerationOffset..], Generation);
        BinaryPrimitives.WriteUInt32LittleEndian(d[FileAclOffset..], FileAcl);
    }
}
