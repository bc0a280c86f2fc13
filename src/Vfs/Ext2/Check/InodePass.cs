using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// Pass 1 (e2fsck's pass1): every inode of every inode table. An inode is in use when it is reserved (below
/// s_first_ino) or has links; for those the mode, dtime, flags, block pointers (in range, not claimed twice, not over
/// metadata), i_blocks, i_size and symlink targets are checked, and directory blocks are collected for pass 2.
/// </summary>
internal static class InodePass
{
    public const uint BadBlocksInode = 1;
    public const uint ResizeInode = 7;
    public const uint JournalInode = 8;

    private const int FacultyAddressOffset = 112;
    private const int BlocksHighOffset = 116;
    private const int FileAclHighOffset = 118;
    private const int ExtraSizeOffset = 128;
    private const uint AttributeMagic = 0xEA020000;

    // i_flags bits e2fsck acts on for an ext2 volume without extents, inline data or casefolding.
    private const uint ImmutableFlag = 0x10;
    private const uint AppendFlag = 0x20;
    private const uint EncryptFlag = 0x800;
    private const uint IndexFlag = 0x1000;
    private const uint ImagicFlag = 0x2000;
    private const uint ExtentsFlag = 0x80000;
    private const uint InlineDataFlag = 0x10000000;
    private const uint CasefoldFlag = 0x40000000;

    public static async ValueTask RunAsync(CheckState state, bool[] usableGroups)
    {
        Ext2SuperBlock sb = state.Super;
        // e2fsck only trusts a low dtime as an orphan-list link when the superblock's times are sane.
        bool lowDtimeCheck = !(sb.WriteTime < sb.InodesCount || sb.MountTime < sb.InodesCount);
        int inodeSize = sb.InodeSize;
        int perBlock = state.BlockSize / inodeSize;
        var table = new byte[state.BlockSize];
        for (int g = 0; g < state.Groups.Length; g++)
        {
            if (!usableGroups[g])
                continue;
            for (long t = 0; t < state.InodeTableBlocks; t++)
            {
                long block = state.Groups[g].InodeTable + t;
                using (BufferLease lease = await state.ReadAsync(block, $"group {g} inode table"))
                {
                    if (!lease.Ok)
                        continue;
                    lease.Data.CopyTo(table);
                }
                for (int i = 0; i < perBlock; i++)
                {
                    long index = t * perBlock + i;
                    if (index >= state.InodesPerGroup)
                        break;
                    uint number = (uint)(g * (long)state.InodesPerGroup + index + 1);
                    await CheckInodeAsync(state, number, table.AsSpan(i * inodeSize, inodeSize).ToArray(), lowDtimeCheck);
                }
            }
        }
    }

    private static async ValueTask CheckInodeAsync(CheckState state, uint number, byte[] raw, bool lowDtimeCheck)
    {
        Ext2Inode inode = Ext2Inode.Read(raw, sizeHighIsSize: true);
        CheckInode[] inodes = state.Inodes;
        inodes[number].Mode = inode.Mode;
        inodes[number].Links = inode.LinksCount;
        string name = $"inode {number}";
        if (number == ResizeInode)
            await SuperBlockPass.CheckResizeInodeAsync(state, inode);

        if (inode.DeleteTime != 0 && lowDtimeCheck && inode.DeleteTime < state.InodesCount)
            state.Problem($"{name}: i_dtime {inode.DeleteTime} is below the inode count (a broken orphan list)");

        if (number == BadBlocksInode)
        {
            inodes[number].Used = true;
            if (inode.Mode != 0 || inode.Uid != 0 || inode.Gid != 0 || inode.LinksCount != 0 || inode.FileAcl != 0)
                state.Problem($"{name} (bad blocks inode): not clear (mode {Convert.ToString(inode.Mode, 8)}, i_links_count {inode.LinksCount}, i_file_acl {inode.FileAcl})");
            await new BlockWalk(state, number, inode, isDirectory: false).RunAsync();
            return;
        }
        if (number == Ext2Volume.RootInode)
        {
            inodes[number].Used = true;
            if (inode.Type != InodeType.Directory)
                state.Problem($"{name} (root): not a directory (mode {Convert.ToString(inode.Mode, 8)})");
            if (inode.DeleteTime != 0)
                state.Problem($"{name} (root): has i_dtime {inode.DeleteTime} set");
            await CheckTypedInodeAsync(state, number, raw, inode);
            return;
        }
        if (number == JournalInode && (state.Super.FeatureCompat & Ext2CompatFeatures.HasJournal) == 0)
        {
            inodes[number].Used = true;
            if (inode.LinksCount != 0 || inode.Blocks != 0 || inode.Block[0] != 0)
                state.Problem($"{name} (journal inode): in use without the has_journal feature");
            return;
        }
        if (number < state.FirstInode)
        {
            inodes[number].Used = true;
            bool modeOk = number == ResizeInode ? inode.Mode == 0 || inode.Type == InodeType.Regular : inode.Mode == 0;
            if (!modeOk)
                state.Problem($"{name} (reserved): bad mode {Convert.ToString(inode.Mode, 8)}");
            await CheckBlocksAsync(state, number, raw, inode);
            return;
        }
        if (inode.LinksCount == 0)
        {
            if (inode.DeleteTime == 0 && inode.Mode != 0)
                state.Problem($"{name}: deleted (no links) but i_dtime is zero (mode {Convert.ToString(inode.Mode, 8)})");
            return;
        }
        inodes[number].Used = true;
        if (inode.DeleteTime != 0)
            state.Problem($"{name}: in use ({inode.LinksCount} links) but i_dtime {inode.DeleteTime} is set");
        await CheckTypedInodeAsync(state, number, raw, inode);
    }

    /// <summary>The per-type checks of an in-use inode, then its blocks.</summary>
    private static async ValueTask CheckTypedInodeAsync(CheckState state, uint number, byte[] raw, Ext2Inode inode)
    {
        string name = $"inode {number}";
        if ((inode.Flags & ExtentsFlag) != 0)
            state.Problem($"{name}: extents flag set (i_flags 0x{inode.Flags:x}) without the extent feature");
        if ((inode.Flags & InlineDataFlag) != 0)
            state.Problem($"{name}: inline data flag set (i_flags 0x{inode.Flags:x}) without the inline_data feature");
        if ((inode.Flags & EncryptFlag) != 0)
            state.Problem($"{name}: encrypt flag set (i_flags 0x{inode.Flags:x}) without an encryption context");
        if ((inode.Flags & ImagicFlag) != 0)
            state.Problem($"{name}: imagic flag set (i_flags 0x{inode.Flags:x}) without the imagic_inodes feature");
        if ((inode.Flags & CasefoldFlag) != 0)
            state.Problem($"{name}: casefold flag set (i_flags 0x{inode.Flags:x}) without the casefold feature");
        if (BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(FacultyAddressOffset)) != 0)
            state.Problem($"{name}: i_faddr is not zero");
        if (BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(BlocksHighOffset)) != 0)
            state.Problem($"{name}: i_blocks_hi is not zero without the huge_file feature");
        if (BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(FileAclHighOffset)) != 0)
            state.Problem($"{name}: i_file_acl_high is not zero without the 64bit feature");
        if (raw.Length > Ext2Inode.Size)
        {
            ushort extra = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(ExtraSizeOffset));
            if (extra != 0 && (extra < 4 || extra > raw.Length - Ext2Inode.Size || extra % 4 != 0))
                state.Problem($"{name}: i_extra_isize {extra} is invalid for {raw.Length}-byte inodes");
        }
        switch (inode.Type)
        {
            case InodeType.Directory or InodeType.Regular:
                break;
            case InodeType.CharDevice or InodeType.BlockDevice or InodeType.Fifo or InodeType.Socket:
                if ((inode.Flags & (IndexFlag | ExtentsFlag)) != 0)
                    state.Problem($"{name}: special file with i_flags 0x{inode.Flags:x}");
                CheckImmutable(state, name, inode);
                if (Size(raw) != 0)
                    state.Problem($"{name}: special file with i_size {Size(raw)}");
                break;
            case InodeType.Symlink:
                string? bad = await CheckSymlinkAsync(state, raw, inode);
                if (bad is not null)
                    state.Problem($"{name}: invalid symlink ({bad})");
                break;
            default:
                state.Problem($"{name}: mode {Convert.ToString(inode.Mode, 8)} has no valid file type");
                return;
        }
        await CheckBlocksAsync(state, number, raw, inode);
    }

    private static void CheckImmutable(CheckState state, string name, Ext2Inode inode)
    {
        if ((inode.Flags & (ImmutableFlag | AppendFlag)) != 0)
            state.Problem($"{name}: special file with the immutable or append-only flag (i_flags 0x{inode.Flags:x})");
    }

    /// <summary>EXT2_I_SIZE: i_size with i_size_high above it, for every file type.</summary>
    public static ulong Size(ReadOnlySpan<byte> raw) =>
        BinaryPrimitives.ReadUInt32LittleEndian(raw[Ext2Inode.SizeOffset..]) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(raw[Ext2Inode.SizeHighOffset..]) << 32;

    /// <summary>A fast symlink has a non-zero size below 60 bytes and its target in i_block.</summary>
    private static bool IsFastSymlink(ulong size) => size != 0 && size < Ext2Inode.InlineBytes;

    /// <summary>e2fsck_pass1_check_symlink: the target is NUL-free, exactly i_size long, and ends before its space does.</summary>
    private static async ValueTask<string?> CheckSymlinkAsync(CheckState state, byte[] raw, Ext2Inode inode)
    {
        ulong size = Size(raw);
        if (size == 0 || size >> 32 != 0)
            return $"i_size {size}";
        if ((inode.Flags & IndexFlag) != 0)
            return $"index flag set (i_flags 0x{inode.Flags:x})";
        if (IsFastSymlink(size))
        {
            if ((inode.Flags & ExtentsFlag) != 0)
                return "fast symlink with the extents flag";
            return TargetLength(inode.BlockBytes, (long)size);
        }
        for (int i = 1; i < Ext2Inode.BlockPointers; i++)
        {
            if (inode.Block[i] != 0)
                return $"slow symlink with i_block[{i}] = {inode.Block[i]}";
        }
        uint block = inode.Block[0];
        if (!state.IsLegalBlock(block))
            return $"target block {block} outside the volume";
        using BufferLease lease = await state.ReadAsync(block, $"symlink target");
        if (!lease.Ok)
            return $"target block {block} unreadable";
        return TargetLength(lease.Data, (long)size);
    }

    private static string? TargetLength(ReadOnlySpan<byte> space, long size)
    {
        int nul = space.IndexOf((byte)0);
        int length = nul < 0 ? space.Length : nul;
        if (length >= space.Length)
            return $"target fills its {space.Length} bytes without a terminating NUL";
        return length == size ? null : $"target is {length} bytes but i_size is {size}";
    }

    /// <summary>ext2fs_inode_has_valid_blocks2: whether i_block holds block pointers.</summary>
    private static bool HasBlockPointers(Ext2Inode inode, ulong size)
    {
        switch (inode.Type)
        {
            case InodeType.Directory or InodeType.Regular:
                return true;
            case InodeType.Symlink:
                if (inode.FileAcl == 0)
                    return inode.Blocks != 0;
                if (size >= Ext2Inode.InlineBytes)
                    return true;
                return size > 4 && inode.Block[1] == 0;
            default:
                return false;
        }
    }

    /// <summary>check_blocks: the extended-attribute block, the block pointers, i_blocks and i_size.</summary>
    private static async ValueTask CheckBlocksAsync(CheckState state, uint number, byte[] raw, Ext2Inode inode)
    {
        string name = $"inode {number}";
        bool isDirectory = inode.Type == InodeType.Directory;
        var walk = new BlockWalk(state, number, inode, isDirectory);
        await CheckAttributeBlockAsync(state, number, inode, walk);
        ulong size = Size(raw);
        if (HasBlockPointers(inode, size))
            await walk.RunAsync();

        if ((inode.Flags & IndexFlag) != 0)
            await CheckIndexRootAsync(state, number, inode, isDirectory);

        if (isDirectory && walk.BlockCount == 0)
            state.Problem($"{name}: directory without blocks");

        long sectorsPerBlock = state.BlockSize / 512;
        if ((ulong)walk.BlockCount * (ulong)sectorsPerBlock != inode.Blocks)
            state.Problem($"{name}: i_blocks is {inode.Blocks}, counted {walk.BlockCount * sectorsPerBlock}");

        CheckSize(state, name, size, walk, isDirectory);
        if (walk.Fragmented && walk.BlockCount < state.BlocksPerGroup)
            state.Fragmented++;
    }

    private static void CheckSize(CheckState state, string name, ulong size, BlockWalk walk, bool isDirectory)
    {
        ulong blockSize = (ulong)state.BlockSize;
        if (isDirectory)
        {
            if (size % blockSize != 0)
                state.Problem($"{name}: directory i_size {size} is not a multiple of the block size");
            else if (size / blockSize != (ulong)(walk.LastBlock + 1))
                state.Problem($"{name}: directory i_size {size}, but its last block is file block {walk.LastBlock}");
            return;
        }
        long last = walk.LastBlock;
        // Blocks past i_size are allowed up to the end of the last page (e2fsck assumes 4 KiB pages).
        long perPage = Math.Max(1, 4096 / state.BlockSize);
        if (last >= 0 && size < (ulong)last * blockSize && (last % perPage != 0 || size < (ulong)(last & ~(perPage - 1)) * blockSize))
            state.Problem($"{name}: i_size {size} ends before file block {last}");
        else if (size > MaxBytes(state))
            state.Problem($"{name}: i_size {size} exceeds the {MaxBytes(state)} bytes the block map reaches");
    }

    /// <summary>What 12 direct, indirect, double and triple indirect pointers address (e2fsck's ext2_max_sizes).</summary>
    private static ulong MaxBytes(CheckState state)
    {
        ulong per = (ulong)state.PointersPerBlock;
        return (Ext2Inode.DirectBlocks + per + per * per + per * per * per) * (ulong)state.BlockSize;
    }

    /// <summary>check_ext_attr: an i_file_acl block must exist, carry the xattr magic and span one block.</summary>
    private static async ValueTask CheckAttributeBlockAsync(CheckState state, uint number, Ext2Inode inode, BlockWalk walk)
    {
        uint block = inode.FileAcl;
        if (block == 0)
            return;
        string name = $"inode {number}";
        if ((state.Super.FeatureCompat & Ext2CompatFeatures.ExtAttr) == 0 || !state.IsLegalBlock(block))
        {
            state.Problem($"{name}: i_file_acl {block} is not a valid extended attribute block");
            return;
        }
        if (state.AttributeBlockUsers.TryGetValue(block, out uint users))
        {
            state.AttributeBlockUsers[block] = users + 1;
            walk.BlockCount++;
            return;
        }
        using (BufferLease lease = await state.ReadAsync(block, $"{name} extended attribute block"))
        {
            if (!lease.Ok)
                return;
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data);
            uint blocks = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[8..]);
            state.AttributeBlockRefCounts[block] = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[4..]);
            if (magic != AttributeMagic)
                state.Problem($"{name}: extended attribute block {block} has magic 0x{magic:x8}");
            else if (blocks != 1)
                state.Problem($"{name}: extended attribute block {block} claims h_blocks {blocks}");
        }
        state.AttributeBlockUsers[block] = 1;
        walk.Claim(block, "extended attribute block");
        walk.BlockCount++;
    }

    /// <summary>handle_htree: an indexed directory's dx_root (in block 0 after '.' and '..') must be sane.</summary>
    private static async ValueTask CheckIndexRootAsync(CheckState state, uint number, Ext2Inode inode, bool isDirectory)
    {
        string name = $"inode {number}";
        if (!isDirectory)
        {
            state.Problem($"{name}: index flag set on a non-directory (i_flags 0x{inode.Flags:x})");
            return;
        }
        if ((state.Super.FeatureCompat & Ext2CompatFeatures.DirIndex) == 0)
        {
            state.Problem($"{name}: indexed directory without the dir_index feature");
            return;
        }
        uint block = inode.Block[0];
        if (!state.IsLegalBlock(block))
            return;
        using BufferLease lease = await state.ReadAsync(block, $"{name} htree root");
        if (!lease.Ok)
            return;
        const int Info = 24;
        uint reservedZero = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[Info..]);
        byte hashVersion = lease.Data[Info + 4];
        byte infoLength = lease.Data[Info + 5];
        byte levels = lease.Data[Info + 6];
        byte flags = lease.Data[Info + 7];
        if (reservedZero != 0 || infoLength < 8 || levels >= 2)
            state.Problem($"{name}: htree root in block {block} is bad (reserved {reservedZero}, info_length {infoLength}, indirect_levels {levels})");
        else if (hashVersion is not (0 or 1 or 2 or 6))
            state.Problem($"{name}: htree root in block {block} has unknown hash version {hashVersion}");
        else if ((flags & 1) != 0)
            state.Problem($"{name}: htree root in block {block} has incompatible flags 0x{flags:x}");
    }
}
