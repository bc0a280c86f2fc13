using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>
    /// sendfile(2) out of the machine: up to <paramref name="count"/> bytes of the file at <paramref name="offset"/>
    /// (the file position untouched) go to <paramref name="sink"/> straight from the page cache, with no copy into a
    /// caller's buffer; read-ahead, access time and errors as pread(2). As Linux's sendfile, the input must be a file
    /// whose data lives in the page cache: anything else (a pipe, a socket, a directory, a device, an O_DIRECT
    /// descriptor, which must not be served from the cache) gives EINVAL.
    /// </summary>
    public ValueTask<VfsResult<int>> SendfileAsync(Process process, int fd, long offset, int count, IPageSpanSink sink)
    {
        File? file = process.Files.Get(fd);
        if (file is null || !file.CanRead)
            return new(NotOpenFor(fd, "reading"));
        if (file.Operations is not PageCacheFileOperations || file.Inode.Mapping is not { } space || (file.Flags & OpenFlags.Direct) != 0)
            return new(VfsResult<int>.Fail(Errno.EINVAL, $"descriptor {fd}: sendfile from a file not in the page cache"));
        if (offset < 0 || count < 0)
            return new(VfsResult<int>.Fail(Errno.EINVAL, $"descriptor {fd}: negative offset {offset} or count {count}"));
        ValueTask<CacheResult> sent = space.Cache.SpliceAsync(space, offset, count, sink, file.ReadAhead, file.ProcessId);
        if (sent.IsCompletedSuccessfully)
            return new(CompleteSend(file, sent.Result));
        return AwaitSend(file, sent);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<VfsResult<int>> AwaitSend(File file, ValueTask<CacheResult> sent) => CompleteSend(file, await sent);

    private VfsResult<int> CompleteSend(File file, CacheResult result) =>
        CompleteRead(file, new IoResult(result.Bytes, result.Error), advance: false);
}
