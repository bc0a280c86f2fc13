using System.Text;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// Pass 2 (e2fsck's pass2): every directory block as a linear block (an htree's interior blocks read as one empty
/// entry spanning the block, so they pass as such). Records must tile the block (rec_len at least 12, a multiple of 4,
/// inside the block, holding the name); block 0 starts with '.' naming the directory and '..'; every other entry names
/// an in-use, non-reserved inode with a clean name, a file type byte matching the inode, no name twice in the block,
/// and no second link to a directory. Counts the references pass 4 compares with i_links_count.
/// </summary>
internal static class DirectoryPass
{
    private const int MinRecordLength = 12;

    public static async ValueTask RunAsync(CheckState state)
    {
        foreach ((uint directory, long fileBlock, uint block) in state.DirectoryBlocks)
        {
            string where = $"directory inode {directory} block {block} (file block {fileBlock})";
            if (block == 0)
            {
                state.Problem($"directory inode {directory}: hole at file block {fileBlock}");
                continue;
            }
            using BufferLease lease = await state.ReadAsync(block, $"directory inode {directory}");
            if (!lease.Ok)
                continue;
            CheckBlock(state, directory, fileBlock, lease.Data, where);
        }
    }

    private static void CheckBlock(CheckState state, uint directory, long fileBlock, ReadOnlySpan<byte> data, string where)
    {
        int blockSize = data.Length;
        var names = new HashSet<string>(StringComparer.Ordinal);
        int entryIndex = fileBlock == 0 ? 0 : 2;
        int offset = 0;
        while (offset < blockSize)
        {
            if (blockSize - offset < Ext2DirectoryEntry.HeaderSize)
            {
                state.Problem($"{where}: entry at offset {offset} overruns the block");
                return;
            }
            (uint inode, ushort rawLength, byte nameLength, byte fileType) = Ext2DirectoryEntry.ReadHeader(data[offset..]);
            int recordLength = RecordLength(rawLength, blockSize);
            if (offset + recordLength > blockSize || recordLength < MinRecordLength || recordLength % 4 != 0 || Ext2DirectoryEntry.RecordSizeFor(nameLength) > recordLength)
            {
                state.Problem($"{where}: corrupt entry at offset {offset} (rec_len {rawLength}, name_len {nameLength})");
                return;
            }
            ReadOnlySpan<byte> name = data.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength);
            string at = $"{where} offset {offset}";
            if (entryIndex == 0)
                CheckDot(state, directory, inode, name, data, offset, at);
            else if (entryIndex == 1)
                CheckDotDot(state, directory, inode, name, data, offset, at);
            else if (inode != 0)
                CheckEntry(state, directory, inode, name, fileType, names, at);
            if (entryIndex < 2 && inode != 0)
                CheckTarget(state, directory, inode, fileType, at, entryIndex == 0 ? "'.'" : "'..'");
            entryIndex++;
            offset += recordLength;
        }
    }

    /// <summary>ext2fs_get_rec_len: 0 and 65535 stand for a 64 KiB block (here: the whole block).</summary>
    private static int RecordLength(ushort raw, int blockSize) =>
        raw is 0 or 65535 ? blockSize : (raw & 65532) | (raw & 3) << 16;

    private static void CheckDot(CheckState state, uint directory, uint inode, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, int offset, string at)
    {
        if (inode == 0 || name.Length != 1 || name[0] != (byte)'.')
        {
            state.Problem($"{at}: missing '.' (entry names inode {inode}, '{Text(name)}')");
            return;
        }
        if (data[offset + Ext2DirectoryEntry.NameOffset + 1] != 0)
            state.Problem($"{at}: '.' is not NUL-terminated");
        if (inode != directory)
            state.Problem($"{at}: '.' names inode {inode}, not the directory itself");
        else
            state.Inodes[directory].Counted++;
    }

    private static void CheckDotDot(CheckState state, uint directory, uint inode, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, int offset, string at)
    {
        if (inode == 0 || name.Length != 2 || name[0] != (byte)'.' || name[1] != (byte)'.')
        {
            state.Problem($"{at}: missing '..' (entry names inode {inode}, '{Text(name)}')");
            return;
        }
        if (data[offset + Ext2DirectoryEntry.NameOffset + 2] != 0)
            state.Problem($"{at}: '..' is not NUL-terminated");
        state.Inodes[directory].DotDot = inode;
    }

    private static void CheckEntry(CheckState state, uint directory, uint inode, ReadOnlySpan<byte> name, byte fileType, HashSet<string> names, string at)
    {
        string text = Text(name);
        if (inode == directory)
        {
            state.Problem($"{at}: entry '{text}' links the directory to itself");
            return;
        }
        if (name.Length == 0)
        {
            state.Problem($"{at}: entry naming inode {inode} has an empty name");
            return;
        }
        if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
        {
            state.Problem($"{at}: a second '{text}' entry (inode {inode})");
            return;
        }
        if (inode == Ext2Volume.RootInode)
        {
            state.Problem($"{at}: entry '{text}' links the root directory");
            return;
        }
        if (name.IndexOfAny((byte)'/', (byte)0) >= 0)
            state.Problem($"{at}: entry name '{text}' contains '/' or NUL");
        if (!CheckTarget(state, directory, inode, fileType, at, $"entry '{text}'"))
            return;
        if (!names.Add(text))
            state.Problem($"{at}: the name '{text}' appears twice in the block");
        ref CheckInode target = ref state.Inodes[inode];
        target.Counted++;
        if (target.IsDirectory)
        {
            if (target.Parent != 0)
                state.Problem($"{at}: entry '{text}' is a second link to directory inode {inode} (already in directory {target.Parent})");
            else
                target.Parent = directory;
        }
    }

    /// <summary>The inode an entry names must be a legal, in-use one, with the file type byte of its mode.</summary>
    private static bool CheckTarget(CheckState state, uint directory, uint inode, byte fileType, string at, string entry)
    {
        if ((inode != Ext2Volume.RootInode && inode < state.FirstInode) || inode > state.InodesCount)
        {
            state.Problem($"{at}: {entry} names inode {inode}, which no entry may name (reserved or past {state.InodesCount})");
            return false;
        }
        CheckInode target = state.Inodes[inode];
        if (!target.Used)
        {
            state.Problem($"{at}: {entry} names inode {inode}, which is not in use");
            return false;
        }
        byte expected = state.HasFileType ? Ext2DirectoryEntry.FileTypeOf(target.Type) : (byte)0;
        if (fileType != expected)
            state.Problem($"{at}: {entry} has file type {fileType}, but inode {inode} (mode {Convert.ToString(target.Mode, 8)}) needs {expected}");
        return true;
    }

    private static string Text(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);
}
