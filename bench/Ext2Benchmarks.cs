using BenchmarkDotNet.Attributes;
using Hardware.BlockLayer;
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
