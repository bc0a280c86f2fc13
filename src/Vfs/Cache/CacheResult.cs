using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>What a read or write through the cache did: bytes moved, and the error that stopped it (if any).</summary>
public readonly record struct CacheResult(int Bytes, Errno Error = Errno.None)
{
    public bool Ok => Error == Errno.None;
}
