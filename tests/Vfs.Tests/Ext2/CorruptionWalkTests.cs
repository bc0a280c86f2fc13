using System.Buffers.Binary;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Syscalls;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>
/// Issue 5's corrupted-images test: an interop image (mke2fs -d over the source tree) is damaged - targeted fields of
/// the superblock, group descriptors, bitmaps, inodes, directory blocks and indirect blocks, and seeded random bit
/// flips in those structures - then mounted read-only and walked through the syscalls (stat, readdir, readlink and a
/// read of every file). Every step either succeeds or fails with EUCLEAN or EIO and a message naming the structure;
/// a refused mount says why. No exception escapes, every step finishes within a virtual-time budget (a watchdog event
/// fails a step that is still waiting when it fires), and the disk is never read past the volume the superblock
/// describes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CorruptionWalkTests : IClassFixture<CorruptionWalkTests.Interop>
{
    /// <summary>Virtual time one syscall may take before the walk calls it a hang.</summary>
    private const long StepBudgetNs = 5_000_000_000;

    /// <summary>Bytes read from the start of each file (and one block at its end), so the 5 GiB sparse file stays cheap.</summary>
    private const int ReadPrefix = 256 * 1024;

    private readonly Interop _interop;

    public CorruptionWalkTests(Interop interop) => _interop = interop;

    public static TheoryData<string> Targeted => [.. Mutations.Keys];

    public static TheoryData<int> FlipSeeds => [.. Enumerable.Range(1, 8)];

    [OracleFact("mke2fs")]
    public void The_undamaged_image_walks_without_a_single_error()
    {
        WalkReport report = Walk((byte[])_interop.Image.Clone());
        Assert.True(report.Mounted, report.ToString());
        Assert.Empty(report.Failures);
        Assert.True(report.Entries > 1000 + 64 + 12, report.ToString());
    }

    [OracleTheory("mke2fs")]
    [MemberData(nameof(Targeted))]
    public void A_damaged_structure_gives_errno_results_naming_it_never_an_exception_or_hang(string mutation)
    {
        byte[] image = (byte[])_interop.Image.Clone();
        Mutations[mutation](new ImageEditor(image), _interop);
        WalkReport report = Walk(image);
        Assert.True(report.Mounted || report.MountError is not null, report.ToString());
    }

    [OracleTheory("mke2fs")]
    [MemberData(nameof(FlipSeeds))]
    public void Random_bit_flips_in_metadata_give_errno_results_never_an_exception_or_hang(int seed)
    {
        byte[] image = (byte[])_interop.Image.Clone();
        string flips = FlipBits(new ImageEditor(image), _interop, seed);
        WalkReport report = Walk(image, $"seed {seed} ({flips})");
        Assert.True(report.Mounted || report.MountError is not null, report.ToString());
    }

    /// <summary>Named damage; each edits the image in place.</summary>
    private static readonly Dictionary<string, Action<ImageEditor, Interop>> Mutations = new()
    {
        ["superblock s_blocks_count past the device"] = (image, _) => image.SetSuperBlock(sb => sb.BlocksCount = 0xFFFF_FFF0),
        ["superblock s_inodes_count doubled"] = (image, _) => image.SetSuperBlock(sb => sb.InodesCount *= 2),
        ["superblock s_log_block_size 7"] = (image, _) => image.SetSuperBlock(sb => sb.LogBlockSize = 7),
        ["superblock s_inodes_per_group 0"] = (image, _) => image.SetSuperBlock(sb => sb.InodesPerGroup = 0),
        ["superblock s_inode_size 100"] = (image, _) => image.SetSuperBlock(sb => sb.InodeSizeField = 100),
        ["superblock s_first_ino 3"] = (image, _) => image.SetSuperBlock(sb => sb.FirstInodeField = 3),
        ["group descriptor block bitmap 0"] = (image, _) => SetGroupField(image, 0, Ext2GroupDescriptor.BlockBitmapOffset, 0),
        ["group descriptor inode table on the superblock"] = (image, _) => SetGroupField(image, 0, Ext2GroupDescriptor.InodeTableOffset, image.SuperBlock.FirstDataBlock),
        ["group descriptor inode table at the last block"] = (image, _) => SetGroupField(image, 1, Ext2GroupDescriptor.InodeTableOffset, image.SuperBlock.BlocksCount - 1),
        ["block and inode bitmaps zeroed"] = (image, _) =>
        {
            Ext2GroupDescriptor group = Group(image, 0);
            image.Image.AsSpan((int)(group.BlockBitmap * (long)image.BlockSize), image.BlockSize).Clear();
            image.Image.AsSpan((int)(group.InodeBitmap * (long)image.BlockSize), image.BlockSize).Clear();
        },
        ["root inode is a regular file"] = (image, _) => SetInodeU16(image, Ext2Volume.RootInode, Ext2Inode.ModeOffset, 0x81A4),
        ["root inode mode has no file type"] = (image, _) => SetInodeU16(image, Ext2Volume.RootInode, Ext2Inode.ModeOffset, 0x01ED),
        ["root directory block pointer past the volume"] = (image, _) => image.SetBlockPointer(Ext2Volume.RootInode, 0, 0x7FFF_0000),
        ["root directory with a hole"] = (image, _) => image.SetBlockPointer(Ext2Volume.RootInode, 0, 0),
        ["root directory i_size of 2^31 bytes"] = (image, _) => SetInodeU32(image, Ext2Volume.RootInode, Ext2Inode.SizeOffset, 0x8000_0000),
        ["root directory entry rec_len 0"] = (image, _) => image.SetFirstRecordLength(Ext2Volume.RootInode, 0),
        ["root directory entry name_len past the record"] = (image, _) => SetFirstEntryByte(image, Ext2Volume.RootInode, Ext2DirectoryEntry.NameLengthOffset, 255),
        ["directory entry naming an inode past the count"] = (image, interop) => SetEntryInode(image, interop.Big, 0, 0x00FF_FFFF),
        ["directory entry naming a free inode"] = (image, interop) => SetEntryInode(image, interop.Big, 3, image.SuperBlock.InodesCount - 1),
        ["directory entry naming its own directory"] = (image, interop) => SetEntryInode(image, interop.Big, 3, interop.Big),
        ["directory entry naming the root (a cycle)"] = (image, interop) => SetEntryInode(image, interop.Deep, 2, Ext2Volume.RootInode),
        ["file with no links"] = (image, interop) => SetInodeU16(image, interop.Sized, Ext2Inode.LinksCountOffset, 0),
        ["file block pointer past the volume"] = (image, interop) => image.SetBlockPointer(interop.Sized, 0, 0xFFFF_FFFF),
        ["file block pointer on the superblock"] = (image, interop) => image.SetBlockPointer(interop.Sized, 0, image.SuperBlock.FirstDataBlock),
        ["file i_size of 2^40 bytes"] = (image, interop) => SetInodeU32(image, interop.Sized, Ext2Inode.SizeHighOffset, 0x100),
        ["file i_size of 2^62 bytes"] = (image, interop) => SetInodeU32(image, interop.Sized, Ext2Inode.SizeHighOffset, 0x4000_0000),
        ["indirect block full of 0xFF"] = (image, interop) => FillBlock(image, image.Inode(interop.Sized).Block[Ext2Inode.IndirectSlot], 0xFF),
        ["double indirect block naming itself"] = (image, interop) =>
        {
            uint block = image.Inode(interop.Sized).Block[Ext2Inode.DoubleIndirectSlot];
            for (int i = 0; i < image.BlockSize / 4; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan((int)(block * (long)image.BlockSize) + 4 * i), block);
        },
        ["sparse file's triple indirect pointer on the inode table"] = (image, interop) =>
            image.SetBlockPointer(interop.Sparse, Ext2Inode.TripleIndirectSlot, Group(image, 0).InodeTable),
        ["sparse file's triple indirect pointer past the volume"] = (image, interop) =>
            image.SetBlockPointer(interop.Sparse, Ext2Inode.TripleIndirectSlot, image.SuperBlock.BlocksCount + 10),
        ["slow symlink with a target longer than a block"] = (image, interop) => SetInodeU32(image, interop.SlowLink, Ext2Inode.SizeOffset, 70_000),
        ["fast symlink with a 200-byte target"] = (image, interop) => SetInodeU32(image, interop.FastLink, Ext2Inode.SizeOffset, 200),
        ["fast symlink turned slow with garbage in i_block"] = (image, interop) => SetInodeU32(image, interop.FastLink, Ext2Inode.BlocksOffset, 2),
        ["directory turned into a symlink"] = (image, interop) => SetInodeU16(image, interop.Deep, Ext2Inode.ModeOffset, 0xA1FF),
        ["regular file turned into a directory"] = (image, interop) => SetInodeU16(image, interop.Sized, Ext2Inode.ModeOffset, 0x41ED),
    };

    private static Ext2GroupDescriptor Group(ImageEditor image, int group) =>
        Ext2GroupDescriptor.Read(image.Image.AsSpan(GroupOffset(image, group)));

    private static int GroupOffset(ImageEditor image, int group) =>
        (int)((image.SuperBlock.FirstDataBlock + 1) * (long)image.BlockSize) + group * Ext2GroupDescriptor.Size;

    private static void SetGroupField(ImageEditor image, int group, int field, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(GroupOffset(image, group) + field), value);

    private static void SetInodeU16(ImageEditor image, uint inode, int field, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(image.Image.AsSpan(image.InodeOffset(inode) + field), value);

    private static void SetInodeU32(ImageEditor image, uint inode, int field, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(image.InodeOffset(inode) + field), value);

    private static void SetFirstEntryByte(ImageEditor image, uint directory, int field, byte value) =>
        image.Image[(int)(image.Inode(directory).Block[0] * (long)image.BlockSize) + field] = value;

    private static void FillBlock(ImageEditor image, uint block, byte value) =>
        image.Image.AsSpan((int)(block * (long)image.BlockSize), image.BlockSize).Fill(value);

    /// <summary>Sets the inode of the <paramref name="index"/>th record of the directory's first block.</summary>
    private static void SetEntryInode(ImageEditor image, uint directory, int index, uint inode)
    {
        int start = (int)(image.Inode(directory).Block[0] * (long)image.BlockSize);
        int offset = 0;
        for (int i = 0; i < index; i++)
            offset += BinaryPrimitives.ReadUInt16LittleEndian(image.Image.AsSpan(start + offset + Ext2DirectoryEntry.RecordLengthOffset));
        BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(start + offset), inode);
    }

    /// <summary>Flips 1 to 8 bits in metadata blocks chosen by <paramref name="seed"/>; returns where, for messages.</summary>
    private static string FlipBits(ImageEditor image, Interop interop, int seed)
    {
        var random = new Random(seed);
        var flips = new List<string>();
        int count = 1 + random.Next(8);
        for (int i = 0; i < count; i++)
        {
            uint block = interop.MetadataBlocks[random.Next(interop.MetadataBlocks.Count)];
            int bitIndex = random.Next(image.BlockSize * 8);
            image.Image[(int)(block * (long)image.BlockSize) + bitIndex / 8] ^= (byte)(1 << (bitIndex % 8));
            flips.Add($"block {block} bit {bitIndex}");
        }
        return string.Join(", ", flips);
    }

    /// <summary>What a walk saw: whether the mount worked (or why not), the entries reached and each failed step.</summary>
    private sealed record WalkReport(string Case, bool Mounted, string? MountError, int Entries, List<string> Failures)
    {
        public override string ToString() =>
            $"{Case}: {(Mounted ? "mounted" : $"mount refused: {MountError}")}, {Entries} entries, {Failures.Count} failed steps\n  {string.Join("\n  ", Failures.Take(10))}";
    }

    private static WalkReport Walk(byte[] image, string name = "walk")
    {
        using var rig = new Ext2ImageRig(image);
        var watchdog = new Watchdog(rig.Dev.Machine.Simulation, StepBudgetNs);
        var failures = new List<string>();
        VfsResult mount = watchdog.Run("mount", () => rig.Mount());
        if (!mount.Ok)
        {
            AssertClean(name, "mount", mount.Errno, mount.Message, allowed: [Errno.EINVAL, Errno.EUCLEAN, Errno.EIO]);
            AssertInsideVolume(rig, image, name);
            return new WalkReport(name, false, $"{mount.Message} ({mount.Errno})", 0, failures);
        }
        int entries = 0;
        BlockingSystemCalls sys = rig.Dev.Sys;
        Process root = rig.Dev.Root;
        var visited = new HashSet<long>();
        var pending = new Queue<string>();
        pending.Enqueue("/mnt");
        while (pending.Count > 0)
        {
            string path = pending.Dequeue();
            entries++;
            VfsResult<FileStatus> status = watchdog.Run($"lstat {path}", () => sys.Lstat(root, path));
            if (!Step(name, $"lstat {path}", status.Status, failures))
                continue;
            switch (status.Value.Type)
            {
                case InodeType.Directory when visited.Add(status.Value.InodeNumber):
                    foreach (string child in ReadDirectory(sys, root, watchdog, name, path, failures))
                        pending.Enqueue($"{path}/{child}");
                    break;
                case InodeType.Symlink:
                    Step(name, $"readlink {path}", watchdog.Run($"readlink {path}", () => sys.ReadLink(root, path)).Status, failures);
                    break;
                case InodeType.Regular:
                    ReadFile(sys, root, Volume(rig), watchdog, name, path, status.Value.Size, failures);
                    break;
            }
        }
        AssertInsideVolume(rig, image, name);
        return new WalkReport(name, true, null, entries, failures);
    }

    private static List<string> ReadDirectory(BlockingSystemCalls sys, Process root, Watchdog watchdog, string name, string path, List<string> failures)
    {
        var children = new List<string>();
        VfsResult<int> fd = watchdog.Run($"open {path}", () => sys.Open(root, path, OpenFlags.Directory));
        if (!Step(name, $"open {path}", fd.Status, failures))
            return children;
        try
        {
            while (true)
            {
                VfsResult<IReadOnlyList<DirectoryEntry>> batch = watchdog.Run($"getdents {path}", () => sys.GetDirectoryEntries(root, fd.Value, 128));
                if (!Step(name, $"getdents {path}", batch.Status, failures) || batch.Value.Count == 0)
                    break;
                // A flipped name byte may hold '/' or NUL: such a name cannot be looked up by path, so it is not followed.
                children.AddRange(batch.Value.Select(e => e.Name).Where(n => n is not ("." or "..") && n.IndexOfAny(['/', '\0']) < 0));
            }
        }
        finally
        {
            sys.Close(root, fd.Value);
        }
        return children;
    }

    private static void ReadFile(BlockingSystemCalls sys, Process root, Ext2Volume volume, Watchdog watchdog, string name, string path, long size, List<string> failures)
    {
        VfsResult<int> fd = watchdog.Run($"open {path}", () => sys.Open(root, path, OpenFlags.ReadOnly));
        if (!Step(name, $"open {path}", fd.Status, failures))
            return;
        try
        {
            var buffer = new byte[64 * 1024];
            for (long offset = 0; offset < Math.Min(size, ReadPrefix); offset += buffer.Length)
            {
                long at = offset;
                if (!ReadStep(volume, name, $"pread {path} at {at}", () => watchdog.Run($"pread {path}", () => sys.Pread(root, fd.Value, buffer, at)).Status, failures))
                    break;
            }
            if (size > ReadPrefix)
            {
                long tail = size - 4096;
                ReadStep(volume, name, $"pread {path} at {tail}", () => watchdog.Run($"pread {path}", () => sys.Pread(root, fd.Value, new byte[4096], tail)).Status, failures);
            }
        }
        finally
        {
            sys.Close(root, fd.Value);
        }
    }

    /// <summary>A step succeeded (true) or failed cleanly with EUCLEAN or EIO and a message (false).</summary>
    private static bool Step(string name, string step, VfsResult result, List<string> failures)
    {
        if (result.Ok)
            return true;
        AssertClean(name, step, result.Errno, result.Message, allowed: [Errno.EUCLEAN, Errno.EIO]);
        failures.Add($"{step}: {result.Message} ({result.Errno})");
        return false;
    }

    /// <summary>
    /// A failed read(2) carries only the path in its message (the page cache passes the errno up, not the text): the
    /// structure and block are in the volume's error log (ext2_error), which must have grown.
    /// </summary>
    private static bool ReadStep(Ext2Volume volume, string name, string step, Func<VfsResult> read, List<string> failures)
    {
        int logged = volume.Errors.Count;
        VfsResult result = read();
        if (result.Ok)
            return true;
        Assert.True(result.Errno is Errno.EUCLEAN or Errno.EIO, $"{name}: {step} failed with {result.Errno}, not EUCLEAN or EIO: {result.Message}");
        Assert.True(volume.Errors.Count > logged, $"{name}: {step} failed with {result.Errno} ({result.Message}) and the volume logged no error");
        string detail = volume.Errors[^1];
        AssertClean(name, step, Errno.EUCLEAN, detail, allowed: [Errno.EUCLEAN]);
        failures.Add($"{step}: {result.Message} ({result.Errno}); {detail}");
        return false;
    }

    private static Ext2Volume Volume(Ext2ImageRig rig) => (Ext2Volume)rig.Dev.Vfs.FileSystems.Find("ext2")!.SuperBlocks[0].FileSystemInfo!;

    private static void AssertClean(string name, string step, Errno errno, string? message, Errno[] allowed)
    {
        Assert.True(allowed.Contains(errno), $"{name}: {step} failed with {errno}, not {string.Join(" or ", allowed)}: {message}");
        Assert.False(string.IsNullOrWhiteSpace(message), $"{name}: {step} failed with {errno} and no message");
        Assert.True(message!.Contains("sda", StringComparison.Ordinal), $"{name}: {step}: the message does not name the device: {message}");
        Assert.Matches("superblock|group|inode|block|directory|symlink|feature", message);
    }

    /// <summary>Every read the driver was issued lies inside the volume the (possibly damaged) superblock describes.</summary>
    private static void AssertInsideVolume(Ext2ImageRig rig, byte[] image, string name)
    {
        Ext2SuperBlock sb = Ext2SuperBlock.Read(image.AsSpan((int)Ext2SuperBlock.ByteOffset));
        long volumeBytes = Math.Max(image.Length, sb.LogBlockSize <= 2 ? (long)sb.BlocksCount * sb.BlockSize : 0);
        foreach (BlockTraceEvent read in rig.Dev.Machine.Issued(BioOp.Read))
            Assert.True(read.Sector * 512 + read.Bytes <= Math.Min(volumeBytes, rig.Dev.Disk.CapacityBytes), $"{name}: read of {read.Bytes} bytes at sector {read.Sector} lies past the volume");
    }

    /// <summary>Fails a step still running when its budget of virtual time has passed (instead of hanging the test).</summary>
    private sealed class Watchdog(Simulation simulation, long budgetNs)
    {
        private long _armed;

        public T Run<T>(string step, Func<T> call)
        {
            long generation = ++_armed;
            simulation.ScheduleAt(simulation.Now + budgetNs, _ =>
            {
                if (_armed == generation)
                    throw new TimeoutException($"{step} was still running after {budgetNs / 1_000_000_000} s of virtual time");
            }, null);
            T result = call();
            _armed++;
            return result;
        }
    }

    /// <summary>The interop image, built once, and where its interesting inodes and metadata lie.</summary>
    public sealed class Interop : IDisposable
    {
        private readonly SourceTree _tree = new();

        public Interop()
        {
            Image = Ext2ImageRig.MakeImage(_tree.Work, _tree.Root, 24L << 20, "-b", "1024", "-I", "256");
            var editor = new ImageEditor(Image);
            Big = Lookup(editor, "big");
            Deep = Lookup(editor, "d0");
            Sized = Lookup(editor, "sizes", "f300001");
            Sparse = Lookup(editor, "sparse");
            FastLink = Lookup(editor, "links", "fast");
            SlowLink = Lookup(editor, "links", "slow");
            MetadataBlocks = Survey(editor);
        }

        public byte[] Image { get; }

        public uint Big { get; }

        public uint Deep { get; }

        /// <summary>A 300,001-byte file: direct, indirect and double indirect blocks at 1 KiB.</summary>
        public uint Sized { get; }

        public uint Sparse { get; }

        public uint FastLink { get; }

        public uint SlowLink { get; }

        /// <summary>The superblock, descriptor table, bitmaps, in-use inode table blocks, directory and indirect blocks.</summary>
        public List<uint> MetadataBlocks { get; }

        private static uint Lookup(ImageEditor image, params string[] path)
        {
            uint inode = Ext2Volume.RootInode;
            foreach (string name in path)
                inode = Entries(image, inode).Single(e => e.Name == name).Inode;
            return inode;
        }

        private static IEnumerable<(uint Inode, string Name)> Entries(ImageEditor image, uint directory)
        {
            Ext2Inode inode = image.Inode(directory);
            for (long fileBlock = 0; fileBlock < (long)inode.FileSize / image.BlockSize; fileBlock++)
            {
                uint block = fileBlock < Ext2Inode.DirectBlocks
                    ? inode.Block[fileBlock]
                    : BinaryPrimitives.ReadUInt32LittleEndian(image.Image.AsSpan((int)(inode.Block[Ext2Inode.IndirectSlot] * (long)image.BlockSize + 4 * (fileBlock - Ext2Inode.DirectBlocks))));
                int start = (int)(block * (long)image.BlockSize);
                for (int offset = 0; offset < image.BlockSize;)
                {
                    Ext2DirectoryEntry entry = Ext2DirectoryEntry.Read(image.Image.AsSpan(start + offset));
                    if (entry.Inode != 0)
                        yield return (entry.Inode, entry.Name);
                    offset += entry.RecordLength;
                }
            }
        }

        private static List<uint> Survey(ImageEditor image)
        {
            Ext2SuperBlock sb = image.SuperBlock;
            var blocks = new List<uint> { sb.FirstDataBlock, sb.FirstDataBlock + 1 };
            var pending = new Queue<uint>([Ext2Volume.RootInode]);
            var seen = new HashSet<uint>();
            for (int g = 0; g < sb.GroupCount; g++)
            {
                Ext2GroupDescriptor group = Group(image, g);
                blocks.Add(group.BlockBitmap);
                blocks.Add(group.InodeBitmap);
            }
            while (pending.Count > 0)
            {
                uint number = pending.Dequeue();
                if (!seen.Add(number))
                    continue;
                blocks.Add((uint)(image.InodeOffset(number) / image.BlockSize));
                Ext2Inode inode = image.Inode(number);
                if (inode.Type == InodeType.Directory)
                {
                    blocks.AddRange(inode.Block.Take(Ext2Inode.DirectBlocks).Where(b => b != 0));
                    foreach ((uint child, string name) in Entries(image, number))
                    {
                        if (name is not ("." or ".."))
                            pending.Enqueue(child);
                    }
                }
                for (int slot = Ext2Inode.IndirectSlot; slot <= Ext2Inode.TripleIndirectSlot; slot++)
                {
                    if (inode.Type != InodeType.Symlink && inode.Block[slot] != 0)
                        blocks.Add(inode.Block[slot]);
                }
            }
            return [.. blocks.Distinct()];
        }

        public void Dispose() => _tree.Dispose();
    }
}
