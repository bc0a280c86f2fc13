using BenchmarkDotNet.Attributes;
using Hardware.Vfs;
using Hardware.Vfs.Cache;

namespace Hardware.Bench;

/// <summary>
/// Cache hits on a booted machine (`ram` disk): a buffer-cache block already cached, a pread(2) of a warm ramfs file
/// at 4 KiB, 64 KiB and 1 MiB (one copy out of the cached pages), a borrow of a cached page without a copy, and a
/// sendfile of the same sizes (the cached pages handed to a sink in place, as `hwstack cat` writes them to stdout).
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private const long FileBytes = 4L << 20;

    private BenchMachine _machine = null!;
    private BufferCache _buffers = null!;
    private AddressSpace _space = null!;
    private byte[] _buffer = null!;
    private int _fd;
    private long _position;
    private readonly NullSink _sink = new();

    [Params(4096, 65536, 1 << 20)]
    public int ReadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new BenchMachine();
        _buffers = new BufferCache(_machine.Cache, _machine.Disk, 4096);
        _machine.Run(async () =>
        {
            using BufferLease lease = await _buffers.GetBlockAsync(10);
            if (!lease.Ok)
                throw new InvalidOperationException($"reading block 10 failed: {lease.Status}");
        });
        _machine.WriteFile("/f", new byte[FileBytes]);
        _fd = _machine.Open("/f", OpenFlags.ReadOnly);
        _space = _machine.Root.Files.Get(_fd)!.Inode.Mapping!;
        _buffer = new byte[ReadBytes];
        BufferCacheHit();
        PreadHit();
        BorrowHit();
        SendfileHit();
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark]
    public byte BufferCacheHit()
    {
        using BufferLease lease = BenchMachine.Completed(_buffers.GetBlockAsync(10));
        return lease.Data[0];
    }

    /// <summary>One pread(2) of <see cref="ReadBytes"/> from a warm file, walking through it.</summary>
    [Benchmark]
    public int PreadHit()
    {
        _position = (_position + ReadBytes) % FileBytes;
        return BenchMachine.Completed(_machine.Calls.PreadAsync(_machine.Root, _fd, _buffer, _position)).Value;
    }

    /// <summary>A cached page borrowed and returned: the read path without its copy.</summary>
    [Benchmark]
    public int BorrowHit()
    {
        _position = (_position + 4096) % FileBytes;
        using PageLease lease = BenchMachine.Completed(_machine.Cache.BorrowAsync(_space, _position));
        return lease.Length;
    }

    /// <summary>One sendfile of <see cref="ReadBytes"/> from a warm file to a sink that only counts: the read without its copy.</summary>
    [Benchmark]
    public int SendfileHit()
    {
        _position = (_position + ReadBytes) % FileBytes;
        return BenchMachine.Completed(_machine.Calls.SendfileAsync(_machine.Root, _fd, _position, ReadBytes, _sink)).Value;
    }

    private sealed class NullSink : IPageSpanSink
    {
        public long Bytes { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes) => Bytes += bytes.Length;
    }
}
