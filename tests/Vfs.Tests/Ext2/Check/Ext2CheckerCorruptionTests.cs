using System.Buffers.Binary;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Ext2.Check;

namespace Hardware.Vfs.Tests.Ext2.Check;

/// <summary>
/// Targeted corruptions of a small mke2fs -d image: e2fsck -fn exits non-zero and our checker reports a problem
/// naming the inode, block or group involved.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2CheckerCorruptionTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"hwstack-fsck-{Guid.NewGuid():N}");

    public Ext2CheckerCorruptionTests()
    {
        string tree = Path.Combine(_work, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        Directory.CreateDirectory(Path.Combine(tree, "sub2"));
        System.IO.File.WriteAllBytes(Path.Combine(tree, "data"), SourceTree.Pattern(3000, 1));
        System.IO.File.WriteAllBytes(Path.Combine(tree, "other"), SourceTree.Pattern(5000, 2));
        System.IO.File.WriteAllBytes(Path.Combine(tree, "sub", "inner"), SourceTree.Pattern(100, 3));
        Image = new ImageEditor(Ext2ImageRig.MakeImage(_work, tree, 4L << 20, "-b", "1024"));
    }

    private ImageEditor Image { get; }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>Both checkers find the image damaged; ours names <paramref name="expected"/> in one problem line.</summary>
    private void BothReport(params string[] expected)
    {
        Ext2CheckReport ours = CheckRig.Check(Image.Image);
        (int ExitCode, string Output) theirs = CheckRig.E2fsck(Image.Image, _work);
        string evidence = CheckRig.Describe(ours, theirs);
        Assert.True(theirs.ExitCode != 0, evidence);
        Assert.False(ours.IsClean, evidence);
        Assert.True(ours.Problems.Any(p => expected.All(p.Contains)), $"no problem names {string.Join(" and ", expected)}\n{evidence}");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void The_untouched_image_is_clean_for_both()
    {
        Ext2CheckReport ours = CheckRig.Check(Image.Image);
        (int ExitCode, string Output) theirs = CheckRig.E2fsck(Image.Image, _work);
        Assert.True(theirs.ExitCode == 0 && ours.IsClean, CheckRig.Describe(ours, theirs));
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_wrong_link_count_is_reported_with_both_counts()
    {
        uint data = Image.InodeOf("data");
        Image.SetLinksCount(data, 2);
        BothReport($"inode {data}:", "i_links_count is 2, counted 1");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_used_block_clear_in_the_block_bitmap_is_reported()
    {
        uint block = Image.Blocks(Image.InodeOf("data"))[0];
        Image.ClearBlockBit(block);
        BothReport("group 0 block bitmap", $"+{block}");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_used_inode_clear_in_the_inode_bitmap_is_reported()
    {
        uint data = Image.InodeOf("data");
        Image.ClearInodeBit(data);
        BothReport("group 0 inode bitmap", $"+{data}");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void An_entry_naming_a_free_inode_is_reported()
    {
        Image.SetEntryInode(Image.EntryOf("data"), 200);
        BothReport("entry 'data' names inode 200, which is not in use");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_block_claimed_by_two_files_is_reported_with_both_owners()
    {
        uint data = Image.InodeOf("data");
        uint other = Image.InodeOf("other");
        uint shared = Image.Blocks(data)[0];
        Image.SetBlockPointer(other, 0, shared);
        BothReport($"inode {other}:", $"block {shared}, already claimed by inode {data}");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_bad_rec_len_is_reported_naming_the_directory_and_block()
    {
        uint block = Image.SetFirstRecordLength(Ext2Volume.RootInode, 5);
        BothReport($"directory inode 2 block {block}", "rec_len 5");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_wrong_group_free_block_count_is_reported()
    {
        int offset = Image.GroupDescriptorOffset(0) + Ext2GroupDescriptor.FreeBlocksCountOffset;
        ushort free = BinaryPrimitives.ReadUInt16LittleEndian(Image.Image.AsSpan(offset));
        BinaryPrimitives.WriteUInt16LittleEndian(Image.Image.AsSpan(offset), (ushort)(free - 3));
        BothReport("group 0:", $"bg_free_blocks_count is {free - 3}, counted {free}");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_wrong_file_type_byte_is_reported()
    {
        ImageEdits.Entry entry = Image.EntryOf("data");
        Image.SetEntryFileType(entry, 2);
        BothReport($"entry 'data' has file type 2, but inode {entry.Inode}", "needs 1");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_directory_whose_dotdot_names_the_wrong_parent_is_reported()
    {
        uint sub = Image.InodeOf("sub");
        uint sub2 = Image.InodeOf("sub2");
        Image.SetEntryInode(Image.Entries(sub).Single(e => e.Name == ".."), sub2);
        BothReport($"directory inode {sub}: '..' names inode {sub2}, but its parent is inode 2");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_directory_no_entry_reaches_is_reported_as_unconnected()
    {
        ImageEdits.Entry entry = Image.EntryOf("sub");
        Image.SetEntryInode(entry, 0);
        BothReport($"directory inode {entry.Inode}: unconnected");
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void Stale_superblock_free_counts_are_a_note_not_a_problem_as_for_e2fsck()
    {
        Image.SetSuperBlock(sb => sb.FreeBlocksCount -= 5);
        Ext2CheckReport ours = CheckRig.Check(Image.Image);
        (int ExitCode, string Output) theirs = CheckRig.E2fsck(Image.Image, _work);
        Assert.True(theirs.ExitCode == 0 && ours.IsClean, CheckRig.Describe(ours, theirs));
        Assert.Contains(ours.Notes, n => n.Contains("s_free_blocks_count"));
        Assert.Contains("Free blocks count wrong", theirs.Output);
    }

    [OracleFact("mke2fs")]
    public void A_disk_without_an_ext2_superblock_is_reported_not_thrown()
    {
        Image.SetSuperBlock(sb => sb.Magic = 0x1234);
        Ext2CheckReport ours = CheckRig.Check(Image.Image);
        Assert.False(ours.IsClean);
        Assert.Contains(ours.Problems, p => p.Contains("magic 0x1234"));
    }
}
