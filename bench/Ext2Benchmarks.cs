using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Hardware.BlockLayer;
using Hardware.Cli.Images;
using Hardware.Vfs;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Syscalls;

namespace Hardware.Bench;

/// <summary>
/// ext2 (4 KiB blocks) on a `ram` disk: the block map of a sparse file's block past the double-indirect range (a walk
/// through the triple-indirect block and three levels of pointer blocks, all cached), and name lookup in a directory
/// of 10,000 entries with the dentry warm (the same name again) and cold (names in turn, so the dentry cache always
/// misses and the directory's blocks are scanned).
/// </summary>
[MemoryDiagnoser]
public class Ext2Benchmarks
{
    private const int Entries = 10_000;

    /// <summary>12 direct + 1,024 indirect + 1,024² double-indirect blocks come before the triple-indirect range.</summary>
    private const long TripleIndirectBlock = 12 + 1024 + 1024L * 1024 + 100;

    private BenchMachine _machine = null!;
    private Ext2Volume _volume = null!;
    private Ext2Inode _sparse = null!;
    private uint _sparseNumber;
    private string[] _names = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new BenchMachine();
        _machine.MountExt2();
        _volume = (Ext2Volume)_machine.Vfs.FileSystems.Find("ext2")!.SuperBlocks[0].FileSystemInfo!;

        int fd = _machine.Open("/mnt/sparse", OpenFlags.ReadWrite | OpenFlags.Create);
        if (BenchMachine.Ok(_machine.Sys.Pwrite(_machine.Root, fd, new byte[4096], TripleIndirectBlock * 4096)) != 4096)
            throw new InvalidOperationException("short write to the sparse file");
        BenchMachine.Ok(_machine.Sys.Fsync(_machine.Root, fd));
        BenchMachine.Ok(_machine.Sys.Close(_machine.Root, fd));
        _sparseNumber = (uint)BenchMachine.Ok(_machine.Sys.Stat(_machine.Root, "/mnt/sparse")).InodeNumber;
        (Ext2Inode? inode, Errno error) = _machine.Run(async () => await _volume.ReadInodeAsync(_sparseNumber));
        _sparse = inode ?? throw new InvalidOperationException($"reading inode {_sparseNumber}: {error}");

        BenchMachine.Ok(_machine.Sys.Mkdir(_machine.Root, "/mnt/big"));
        _names = new string[Entries];
        for (int i = 0; i < Entries; i++)
        {
            _names[i] = $"/mnt/big/entry-{i:D5}";
            int created = _machine.Open(_names[i], OpenFlags.WriteOnly | OpenFlags.Create);
            BenchMachine.Ok(_machine.Sys.Close(_machine.Root, created));
        }
        if (MapTripleIndirect() == 0)
            throw new InvalidOperationException("the triple-indirect block maps to a hole");
        LookupWarmDentry();
        LookupColdDentry();
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark]
    public uint MapTripleIndirect()
    {
        (uint block, Errno error) = _machine.Finish(_volume.MapBlockAsync(_sparseNumber, _sparse, TripleIndirectBlock));
        return error == Errno.None ? block : throw new InvalidOperationException($"mapping failed: {error}");
    }

    /// <summary>stat(2) of an entry of the big directory whose dentry is cached.</summary>
    [Benchmark]
    public long LookupWarmDentry() => BenchMachine.Ok(_machine.Finish(_machine.Calls.StatAsync(_machine.Root, _names[Entries / 2]))).InodeNumber;

    /// <summary>stat(2) of the entries in turn: 10,000 names through a 4,096-dentry cache, so every lookup scans the directory.</summary>
    [Benchmark]
    public long LookupColdDentry()
    {
        _next = (_next + 1) % Entries;
        return BenchMachine.Ok(_machine.Finish(_machine.Calls.StatAsync(_machine.Root, _names[_next]))).InodeNumber;
    }
}

/// <summary>
/// The whole stack over an image file, cold: a 1 GiB file read sequentially with 1 MiB pread(2)s, as `hwstack cat`
/// does, out of an ext2 image (made by mke2fs -d) on an emulated `hdd-7200` drive whose medium is the image. Each
/// iteration boots a fresh session (empty page cache; the image stays in the host's page cache) in its setup, so the
/// figure is the read alone: read-ahead, ext2 block mapping, bios, the AHCI command path and the drive's DMA from the
/// image into guest memory, and the copy out of the page cache. One invocation per iteration (wall time).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class Ext2ColdReadBenchmarks
{
    public const long FileBytes = 1L << 30;

    private const int ReadBytes = 1 << 20;

    private string _directory = null!;
    private string _image = null!;
    private byte[] _buffer = null!;
    private ImageSession? _session;
    private int _fd;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("hwstack-bench-").FullName;
        string tree = Path.Combine(_directory, "tree");
        Directory.CreateDirectory(tree);
        var random = new Random(7);
        _buffer = new byte[ReadBytes];
        using (FileStream file = System.IO.File.Create(Path.Combine(tree, "f")))
        {
            for (long written = 0; written < FileBytes; written += ReadBytes)
            {
                random.NextBytes(_buffer);
                file.Write(_buffer);
            }
        }
        _image = Path.Combine(_directory, "img.ext2");
        RunMke2fs(tree, _image);
        Directory.Delete(tree, recursive: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        CloseSession();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void OpenSession()
    {
        _session = ImageSession.Open(_image, writable: false, deviceName: "hdd-7200");
        _session.Mount();
        _fd = BenchMachine.Ok(_session.Sys.Open(_session.Process, ImageSession.Guest("/f"), OpenFlags.ReadOnly));
    }

    [IterationCleanup]
    public void CloseSession()
    {
        if (_session is null)
            return;
        BenchMachine.Ok(_session.Sys.Close(_session.Process, _fd));
        _session.Close();
        _session = null;
    }

    [Benchmark]
    public long SequentialRead1GiBColdHdd7200()
    {
        ImageSession session = _session!;
        long offset = 0;
        while (true)
        {
            int read = BenchMachine.Ok(session.Sys.Pread(session.Process, _fd, _buffer, offset));
            if (read == 0)
                break;
            offset += read;
        }
        return offset == FileBytes ? offset : throw new InvalidOperationException($"read {offset} bytes of {FileBytes}");
    }

    private static void RunMke2fs(string tree, string image)
    {
        var start = new System.Diagnostics.ProcessStartInfo("mke2fs")
        {
            ArgumentList = { "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, image, "1200M" },
            RedirectStandardError = true,
        };
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("mke2fs is needed to build the image (apt-get install e2fsprogs)", e);
        }
        using (process)
        {
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"mke2fs failed ({process.ExitCode}): {errors}");
        }
    }
}
