using Hardware.BlockLayer;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Syscalls;

/// <summary>struct pollfd: a descriptor (negative: ignored), the events asked for, and the events that hold.</summary>
public struct PollDescriptor(int fd, PollEvents events)
{
    public int Fd { get; set; } = fd;

    public PollEvents Events { get; set; } = events;

    public PollEvents Revents { get; set; }
}

public sealed partial class SystemCalls
{
    private readonly Dictionary<Process, Poller> _pollers = [];

    /// <summary>
    /// poll(2) over pipes, FIFOs, sockets and regular files (always readable and writable). A descriptor that is not
    /// open reports POLLNVAL; a negative one is ignored. <paramref name="timeoutNs"/>: 0 scans once, a positive
    /// value is a limit in virtual ns, <see cref="Poller.Infinite"/> waits without one. Returns the ready count.
    /// </summary>
    public async ValueTask<VfsResult<int>> PollAsync(Process process, PollDescriptor[] descriptors, long timeoutNs)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        if (timeoutNs < 0 && timeoutNs != Poller.Infinite)
            return VfsResult<int>.Fail(Errno.EINVAL, $"poll: timeout {timeoutNs} ns");
        if (descriptors.Length > process.Files.Limit)
            return VfsResult<int>.Fail(Errno.EINVAL, $"poll: {descriptors.Length} entries exceed the descriptor limit {process.Files.Limit}");
        var entries = new (IPollable Target, PollEvents Events)[descriptors.Length];
        for (int i = 0; i < descriptors.Length; i++)
            entries[i] = (PollTarget(process, descriptors[i].Fd), descriptors[i].Events);
        if (!_pollers.TryGetValue(process, out Poller? poller))
            _pollers[process] = poller = new Poller(Vfs.Simulation);
        PollResult result = await poller.PollAsync(entries, timeoutNs);
        for (int i = 0; i < descriptors.Length; i++)
            descriptors[i].Revents = result[i];
        return VfsResult<int>.Success(result.ReadyCount);
    }

    private static IPollable PollTarget(Process process, int fd)
    {
        if (fd < 0)
            return FixedReadiness.Ignored;
        File? file = process.Files.Get(fd);
        return file?.Private switch
        {
            null when file is null => FixedReadiness.NotOpen,
            PipeFileEnds ends => ends,
            UnixSocket socket => socket,
            _ => FixedReadiness.AlwaysReady,
        };
    }

    /// <summary>Readiness that never changes: regular files and devices without a poll method, bad and ignored descriptors.</summary>
    private sealed class FixedReadiness(PollEvents readiness) : IPollable
    {
        public static readonly FixedReadiness AlwaysReady = new(PollEvents.POLLIN | PollEvents.POLLOUT);
        public static readonly FixedReadiness NotOpen = new(PollEvents.POLLNVAL);
        public static readonly FixedReadiness Ignored = new(PollEvents.None);

        public PollEvents Readiness => readiness;

        public void Subscribe(IPollWatcher watcher)
        {
        }

        public void Unsubscribe(IPollWatcher watcher)
        {
        }
    }
}
