using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Interop;

/// <summary>
/// Interop test 4 of issue 5: seeded random operations on a mounted ext2 volume (create, write at random offsets,
/// truncate, rename, unlink, link, symlink, mkdir, rmdir), each checked against <see cref="FileSystemModel"/>;
/// then umount, e2fsck -fn clean, remount and compare the whole tree again. A failure names the seed and the step.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2ModelTests
{
    private const long ImageBytes = 64L << 20;
    private const int MaxFileBytes = 160 << 10;
    private const int FullCheckEvery = 500;

    [OracleTheory("mke2fs", "e2fsck")]
    [InlineData(1UL, 1024, 3500, "")]
    [InlineData(2UL, 4096, 3500, "")]
    [InlineData(3UL, 1024, 3500, "")]
    [InlineData(4UL, 1024, 1500, "-r 0")]
    [InlineData(5UL, 2048, 1500, "-I 128 -O ^dir_index,^filetype")]
    [InlineData(6UL, 4096, 1500, "hwstack mkfs")]
    public void Random_operations_match_the_model_and_leave_a_volume_e2fsck_finds_clean(ulong seed, int blockSize, int operations, string mke2fsOptions)
    {
        string work = Path.Combine(Path.GetTempPath(), $"hwstack-model-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var model = new FileSystemModel();
            string[] options = ["-b", $"{blockSize}", .. mke2fsOptions.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            byte[] fresh = mke2fsOptions == "hwstack mkfs"
                ? Ext2WriteInteropTests.HwstackImage(ImageBytes, new Hardware.Vfs.Ext2.Mkfs.Ext2MkfsOptions { BlockSize = blockSize, Seed = seed })
                : Ext2ImageRig.MakeImage(work, null, ImageBytes, options);
            string image = Path.Combine(work, "model.img");
            using (var rig = new Ext2ImageRig(fresh))
            {
                Ok(rig.Mount(MountFlags.None));
                Ok(rig.Dev.Sys.Rmdir(rig.Dev.Root, "/mnt/lost+found"));
                var run = new ModelRun(rig.Dev, model, new SimRandom(seed), $"seed {seed} ({blockSize}-byte blocks, mke2fs {mke2fsOptions})");
                for (int step = 0; step < operations; step++)
                {
                    run.Step(step);
                    if (step % FullCheckEvery == FullCheckEvery - 1)
                        run.CompareAll($"after step {step}");
                }
                run.CompareAll("before umount");
                rig.Unmount();
                GuestTree.SaveImage(rig.Dev, image, ImageBytes);
            }
            HostTools.AssertCleanByE2fsck(image);
            using (var again = new Ext2ImageRig(System.IO.File.ReadAllBytes(image)))
            {
                Ok(again.Mount());
                new ModelRun(again.Dev, model, new SimRandom(seed), $"seed {seed} after remount").CompareAll("after remount");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One seeded run: picks operations, applies them to the volume and the model, compares.</summary>
    private sealed class ModelRun(DevFsRig dev, FileSystemModel model, SimRandom random, string label)
    {
        private const string Mount = "/mnt";

        private string Guest(string path) => path == "/" ? Mount : Mount + path;

        private string RandomName() => $"n{random.NextInt32(24)}";

        private string Pick(Func<FileSystemModel.Node, bool> kind)
        {
            string[] candidates = model.Paths.Where(entry => kind(entry.Value)).Select(entry => entry.Key).ToArray();
            return candidates.Length == 0 ? "" : candidates[random.NextInt32(candidates.Length)];
        }

        private string PickDirectory() => Pick(node => node is FileSystemModel.DirectoryNode);

        private string PickFile() => Pick(node => node is FileSystemModel.FileNode);

        private string NewPath()
        {
            string directory = PickDirectory();
            return directory.Count(c => c == '/') >= 5 ? FileSystemModel.Join("/", RandomName()) : FileSystemModel.Join(directory, RandomName());
        }

        public void Step(int step)
        {
            int choice = random.NextInt32(100);
            string what;
            Errno expected;
            VfsResult actual;
            if (choice < 18)
            {
                string path = NewPath();
                what = $"create {path}";
                expected = model.Paths.ContainsKey(path) ? Errno.EEXIST : Errno.None;
                VfsResult<int> opened = dev.Sys.Open(dev.Root, Guest(path), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4);
                if (opened.Ok)
                    dev.Close(opened.Value);
                actual = opened.Status;
                if (expected == Errno.None)
                    model.Create(path);
            }
            else if (choice < 40)
            {
                string path = PickFile();
                if (path.Length == 0)
                    return;
                long offset = random.NextInt32(MaxFileBytes - 1);
                var bytes = new byte[random.NextInt32((int)Math.Min(24 << 10, MaxFileBytes - offset)) + 1];
                for (int i = 0; i < bytes.Length; i++)
                    bytes[i] = (byte)random.NextUInt64();
                what = $"write {bytes.Length} bytes at {offset} of {path}";
                int fd = dev.Open(Guest(path), OpenFlags.WriteOnly);
                VfsResult<int> written = dev.Sys.Pwrite(dev.Root, fd, bytes, offset);
                dev.Close(fd);
                expected = Errno.None;
                actual = written.Status;
                model.Write(path, offset, bytes);
            }
            else if (choice < 48)
            {
                string path = PickFile();
                if (path.Length == 0)
                    return;
                int size = random.NextInt32(MaxFileBytes);
                what = $"truncate {path} to {size}";
                actual = dev.Sys.Truncate(dev.Root, Guest(path), size);
                expected = Errno.None;
                model.Truncate(path, size);
            }
            else if (choice < 60)
            {
                string from = Pick(node => true);
                string to = NewPath();
                if (from == "/" || to.StartsWith(from + "/", StringComparison.Ordinal) || from.StartsWith(to + "/", StringComparison.Ordinal) && model.Paths[from] is not FileSystemModel.DirectoryNode)
                    return;
                what = $"rename {from} -> {to}";
                actual = dev.Sys.Rename(dev.Root, Guest(from), Guest(to));
                expected = model.Rename(from, to);
            }
            else if (choice < 70)
            {
                string path = Pick(node => node is not FileSystemModel.DirectoryNode);
                if (path.Length == 0)
                    return;
                what = $"unlink {path}";
                actual = dev.Sys.Unlink(dev.Root, Guest(path));
                expected = model.Unlink(path);
            }
            else if (choice < 77)
            {
                string existing = PickFile();
                if (existing.Length == 0)
                    return;
                string path = NewPath();
                what = $"link {existing} {path}";
                actual = dev.Sys.Link(dev.Root, Guest(existing), Guest(path));
                expected = model.Link(existing, path);
            }
            else if (choice < 84)
            {
                string path = NewPath();
                string target = new string((char)('a' + random.NextInt32(26)), random.NextInt32(120) + 1);
                what = $"symlink {path} -> {target.Length} bytes";
                actual = dev.Sys.Symlink(dev.Root, target, Guest(path));
                expected = model.Symlink(target, path);
            }
            else if (choice < 94)
            {
                string path = NewPath();
                what = $"mkdir {path}";
                actual = dev.Sys.Mkdir(dev.Root, Guest(path));
                expected = model.Mkdir(path);
            }
            else
            {
                string path = PickDirectory();
                if (path == "/")
                    return;
                what = $"rmdir {path}";
                actual = dev.Sys.Rmdir(dev.Root, Guest(path));
                expected = model.Rmdir(path);
            }
            Assert.True(actual.Errno == expected, $"{label}, step {step}: {what}: expected {expected}, got {actual}");
            CheckAfter(step, what);
        }

        /// <summary>After each step: the paths the step touched agree (type, size, links), plus a cheap full-namespace count.</summary>
        private void CheckAfter(int step, string what)
        {
            foreach (string path in model.Paths.Keys.Where(path => what.Contains(path, StringComparison.Ordinal) && path != "/"))
                CompareEntry(path, $"step {step} ({what})", contents: false);
        }

        public void CompareAll(string when)
        {
            foreach (string directory in model.Paths.Where(entry => entry.Value is FileSystemModel.DirectoryNode).Select(entry => entry.Key))
            {
                var listed = new SortedSet<string>(StringComparer.Ordinal);
                int fd = dev.Open(Guest(directory), OpenFlags.Directory);
                for (IReadOnlyList<DirectoryEntry> batch; (batch = Ok(dev.Sys.GetDirectoryEntries(dev.Root, fd, 50))).Count > 0;)
                {
                    foreach (DirectoryEntry entry in batch.Where(entry => entry.Name is not ("." or "..")))
                        Assert.True(listed.Add(entry.Name), $"{label}, {when}: {directory}/{entry.Name} listed twice");
                }
                dev.Close(fd);
                var expected = new SortedSet<string>(model.Children(directory).Select(Path.GetFileName)!, StringComparer.Ordinal);
                Assert.True(expected.SetEquals(listed), $"{label}, {when}: {directory} lists [{string.Join(' ', listed)}], the model [{string.Join(' ', expected)}]");
            }
            foreach (string path in model.Paths.Keys)
                CompareEntry(path, when, contents: true);
        }

        private void CompareEntry(string path, string when, bool contents)
        {
            FileSystemModel.Node node = model.Paths[path];
            VfsResult<FileStatus> status = dev.Sys.Lstat(dev.Root, Guest(path));
            Assert.True(status.Ok, $"{label}, {when}: lstat {path}: {status}");
            Assert.True(model.LinkCount(path) == status.Value.LinkCount, $"{label}, {when}: {path} has {status.Value.LinkCount} links, the model {model.LinkCount(path)}");
            switch (node)
            {
                case FileSystemModel.DirectoryNode:
                    Assert.Equal(InodeType.Directory, status.Value.Type);
                    break;
                case FileSystemModel.SymlinkNode link:
                    Assert.Equal(InodeType.Symlink, status.Value.Type);
                    Assert.Equal(link.Target, Ok(dev.Sys.ReadLink(dev.Root, Guest(path))));
                    break;
                case FileSystemModel.FileNode file:
                    Assert.Equal(InodeType.Regular, status.Value.Type);
                    Assert.True(file.Data.Length == status.Value.Size, $"{label}, {when}: {path} is {status.Value.Size} bytes, the model {file.Data.Length}");
                    if (contents && file.Data.Length > 0)
                    {
                        int fd = dev.Open(Guest(path), OpenFlags.ReadOnly);
                        byte[] read = dev.Pread(fd, file.Data.Length, 0);
                        dev.Close(fd);
                        Assert.True(file.Data.AsSpan().SequenceEqual(read), $"{label}, {when}: {path} contents differ from the model");
                    }
                    break;
            }
        }
    }
}
