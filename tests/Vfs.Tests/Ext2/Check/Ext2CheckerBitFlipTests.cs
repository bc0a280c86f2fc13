using System.Buffers.Binary;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Ext2.Check;

namespace Hardware.Vfs.Tests.Ext2.Check;

/// <summary>
/// Seeded single-bit flips in the metadata of a small mke2fs -d image: our verdict (clean or not) equals e2fsck -fn's
/// for every seed, on a 1 KiB-block image with 128-byte inodes (odd seeds) and a 4 KiB one with 256-byte inodes (even
/// seeds). The flips land in the fields the checker decides on: the 128-byte base record of in-use inodes, directory
/// blocks, block and inode bitmaps, indirect blocks and the group descriptors' counts. Left out: the superblock and the
/// descriptors' block locations (e2fsck then falls back to backup copies, a repair path we do not model), the resize
/// inode and reserved descriptor blocks, and the extra bytes of 256-byte inodes (in-inode attributes, which ext2 here
/// neither reads nor writes).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2CheckerBitFlipTests : IClassFixture<Ext2CheckerBitFlipTests.Pristines>
{
    private readonly Pristines _pristines;

    public Ext2CheckerBitFlipTests(Pristines pristines) => _pristines = pristines;

    /// <summary>A fast sample; seeds 1..1000 all agreed when the checker was written (about 2 minutes).</summary>
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 48)];

    [OracleTheory("mke2fs", "e2fsck")]
    [MemberData(nameof(Seeds))]
    public void A_flipped_metadata_bit_gets_the_same_verdict_from_us_and_from_e2fsck(int seed)
    {
        Pristine pristine = seed % 2 == 1 ? _pristines.Small : _pristines.Large;
        byte[] image = (byte[])pristine.Image.Clone();
        string flipped = Flip(pristine, image, seed);
        Ext2CheckReport ours = CheckRig.Check(image);
        (int ExitCode, string Output) theirs = CheckRig.E2fsck(image, _pristines.Work);
        Assert.True(ours.IsClean == (theirs.ExitCode == 0), $"seed {seed}: {flipped}\n{CheckRig.Describe(ours, theirs)}");
    }

    /// <summary>Flips one bit chosen by <paramref name="seed"/>; returns where, for the failure message.</summary>
    private static string Flip(Pristine pristine, byte[] image, int seed)
    {
        var random = new Random(seed);
        var editor = new ImageEditor(image);
        int blockSize = editor.BlockSize;
        int bit = random.Next(8);
        int offset;
        string where;
        switch (random.Next(6))
        {
            case 0:
            {
                uint inode = pristine.UsedInodes[random.Next(pristine.UsedInodes.Count)];
                int field = random.Next(Ext2Inode.Size);
                offset = editor.InodeOffset(inode) + field;
                where = $"inode {inode} byte {field}";
                break;
            }
            case 1:
            {
                uint block = pristine.DirectoryBlocks[random.Next(pristine.DirectoryBlocks.Count)];
                int at = random.Next(blockSize);
                offset = (int)(block * (long)blockSize) + at;
                where = $"directory block {block} byte {at}";
                break;
            }
            case 2 or 3:
            {
                Ext2GroupDescriptor group = editor.Group(random.Next((int)editor.SuperBlock.GroupCount));
                uint block = random.Next(2) == 0 ? group.BlockBitmap : group.InodeBitmap;
                int at = random.Next(blockSize);
                offset = (int)(block * (long)blockSize) + at;
                where = $"bitmap block {block} byte {at}";
                break;
            }
            case 4:
            {
                uint block = pristine.IndirectBlocks[random.Next(pristine.IndirectBlocks.Count)];
                int at = random.Next(blockSize);
                offset = (int)(block * (long)blockSize) + at;
                where = $"indirect block {block} byte {at}";
                break;
            }
            default:
            {
                int group = random.Next((int)editor.SuperBlock.GroupCount);
                int at = Ext2GroupDescriptor.FreeBlocksCountOffset + random.Next(6);
                offset = editor.GroupDescriptorOffset(group) + at;
                where = $"group descriptor {group} byte {at}";
                break;
            }
        }
        image[offset] ^= (byte)(1 << bit);
        return $"{where} bit {bit}";
    }

    /// <summary>The two images, made once for the class.</summary>
    public sealed class Pristines : IDisposable
    {
        public Pristines()
        {
            Work = Path.Combine(Path.GetTempPath(), $"hwstack-flip-{Guid.NewGuid():N}");
            string tree = Path.Combine(Work, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "dir", "deeper"));
            Directory.CreateDirectory(Path.Combine(tree, "many"));
            for (int i = 0; i < 120; i++)
                System.IO.File.WriteAllBytes(Path.Combine(tree, "many", $"file-{i:D3}-{new string('n', i % 23)}"), SourceTree.Pattern(i * 7, i));
            foreach (int size in new[] { 0, 1, 1023, 1025, 13 * 1024, 300_001 })
                System.IO.File.WriteAllBytes(Path.Combine(tree, "dir", $"f{size}"), SourceTree.Pattern(size, size));
            System.IO.File.WriteAllBytes(Path.Combine(tree, "dir", "deeper", "leaf"), SourceTree.Pattern(10, 9));
            System.IO.File.CreateSymbolicLink(Path.Combine(tree, "fast"), "dir/f1");
            System.IO.File.CreateSymbolicLink(Path.Combine(tree, "slow"), "dir/deeper/" + new string('s', 80));
            Small = new Pristine(Ext2ImageRig.MakeImage(Work, tree, 4L << 20, "-b", "1024", "-I", "128"));
            Large = new Pristine(Ext2ImageRig.MakeImage(Work, tree, 8L << 20, "-b", "4096", "-I", "256"));
        }

        public string Work { get; }

        public Pristine Small { get; }

        public Pristine Large { get; }

        public void Dispose() => Directory.Delete(Work, recursive: true);
    }

    /// <summary>An image every seed starts from, and where its metadata lies.</summary>
    public sealed class Pristine
    {
        public Pristine(byte[] image)
        {
            Image = image;
            Survey(new ImageEditor(Image));
        }

        public byte[] Image { get; }

        public List<uint> UsedInodes { get; } = [];

        public List<uint> DirectoryBlocks { get; } = [];

        public List<uint> IndirectBlocks { get; } = [];

        private void Survey(ImageEditor editor)
        {
            Ext2SuperBlock sb = editor.SuperBlock;
            for (uint number = 1; number <= sb.InodesCount; number++)
            {
                if (number != Ext2Volume.RootInode && number < sb.FirstInode)
                    continue;
                Ext2Inode inode = editor.Inode(number);
                if (inode.LinksCount == 0)
                    continue;
                UsedInodes.Add(number);
                if (inode.Type == InodeType.Directory)
                    DirectoryBlocks.AddRange(editor.Blocks(number));
                if (inode.Type != InodeType.Regular)
                    continue;
                uint indirect = inode.Block[Ext2Inode.IndirectSlot];
                uint doubleIndirect = inode.Block[Ext2Inode.DoubleIndirectSlot];
                if (indirect != 0)
                    IndirectBlocks.Add(indirect);
                if (doubleIndirect != 0)
                {
                    IndirectBlocks.Add(doubleIndirect);
                    IndirectBlocks.Add(BinaryPrimitives.ReadUInt32LittleEndian(editor.Image.AsSpan((int)(doubleIndirect * (long)editor.BlockSize))));
                }
            }
        }
    }
}
