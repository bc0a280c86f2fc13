namespace Hardware.Vfs.Pipes;

/// <summary>Linux's pipe constants (include/uapi/linux/limits.h, fs/pipe.c, /proc/sys/fs/pipe-max-size).</summary>
public static class PipeLimits
{
    /// <summary>Writes of at most this many bytes are atomic: never interleaved with other writers' data.</summary>
    public const int PipeBuf = 4096;

    public const int PageSize = 4096;

    /// <summary>A new pipe holds 16 pages = 64 KiB (PIPE_DEF_BUFFERS).</summary>
    public const int DefaultCapacityBytes = 16 * PageSize;

    /// <summary>The largest capacity an unprivileged F_SETPIPE_SZ may ask for (pipe-max-size default, 1 MiB).</summary>
    public const int MaxCapacityBytes = 1024 * 1024;

    /// <summary>Linux rounds a requested capacity up to a power-of-two number of pages (round_pipe_size).</summary>
    public static int RoundCapacity(int bytes)
    {
        int pages = Math.Max(1, (bytes + PageSize - 1) / PageSize);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)pages) * PageSize;
    }
}
