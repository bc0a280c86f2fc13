using Hardware.BlockLayer;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Syscalls;

namespace Hardware.Vfs.Tests.Core;

/// <summary>
/// A booted VFS without disks: guest memory, a tracking page pool and cache, rootfs at /, a root process and the
/// blocking syscall facade. Dispose exits every process it made, unmounts, and fails the test on leaked pages.
/// </summary>
internal sealed class VfsRig : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly GuestMemory _memory;

    public VfsRig(long cacheBytes = 4L << 20, VfsOptions? options = null, PageCacheOptions? cacheOptions = null)
    {
        _memory = new GuestMemory(64L << 20);
        Simulation = new Simulation(11);
        Pool = new PagePool(_memory, new PageFrameAllocator(_memory), cacheBytes, trackRentals: true);
        Cache = new PageCache(Simulation, Pool, cacheOptions);
        Vfs = VfsBoot.Boot(Simulation, Cache, options);
        Calls = new SystemCalls(Vfs);
        Sys = new BlockingSystemCalls(Calls, Simulation);
        Root = Spawn(1, Credentials.Root);
    }

    public Simulation Simulation { get; }

    public PagePool Pool { get; }

    public PageCache Cache { get; }

    public VirtualFileSystem Vfs { get; }

    public SystemCalls Calls { get; }

    public BlockingSystemCalls Sys { get; }

    /// <summary>pid 1, uid 0.</summary>
    public Process Root { get; }

    public Process Spawn(int pid, Credentials credentials)
    {
        Process process = Vfs.CreateProcess(pid, credentials);
        _processes.Add(process);
        return process;
    }

    public Process User(int pid, int uid, int gid, params int[] groups) => Spawn(pid, Credentials.User(uid, gid, groups));

    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>A successful call's value; the failure's message otherwise.</summary>
    public static T Ok<T>(VfsResult<T> result)
    {
        Assert.True(result.Ok, result.ToString());
        return result.Value;
    }

    public static void Ok(VfsResult result) => Assert.True(result.Ok, result.ToString());

    public static void Fails(Errno expected, VfsResult result)
    {
        Assert.Equal(expected, result.Errno);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    public static void Fails<T>(Errno expected, VfsResult<T> result) => Fails(expected, result.Status);

    public int Open(Process process, string path, OpenFlags flags, int mode = 0x1B6) => Ok(Sys.Open(process, path, flags, mode));

    public void WriteFile(Process process, string path, byte[] data, int mode = 0x1A4)
    {
        int fd = Open(process, path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, mode);
        Assert.Equal(data.Length, Ok(Sys.Write(process, fd, data)));
        Ok(Sys.Close(process, fd));
    }

    public byte[] ReadFile(Process process, string path)
    {
        int fd = Open(process, path, OpenFlags.ReadOnly);
        long size = Ok(Calls.Fstat(process, fd)).Size;
        var buffer = new byte[size + 1];
        int read = Ok(Sys.Read(process, fd, buffer));
        Ok(Sys.Close(process, fd));
        return buffer[..read];
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        foreach (Process process in _processes)
            Run(() => Vfs.ExitAsync(process).AsTask());
        foreach (VfsMount mount in Vfs.Mounts.Mounts.Reverse().ToArray())
        {
            if (mount.Parent is not null)
                Run(() => Vfs.Mounts.Mounts.Contains(mount) ? DetachAsync(mount) : Task.CompletedTask);
        }
        SuperBlock rootSuper = Vfs.Mounts.Root!.SuperBlock;
        Run(() => rootSuper.Type.KillSuperBlockAsync(rootSuper).AsTask());
        IReadOnlyList<PageRental> leaked = Pool.Outstanding;
        Assert.True(leaked.Count == 0, $"{leaked.Count} pages leaked: " + string.Join("; ", leaked.Select(r => r.Renter)));
        Assert.Equal(0, Cache.OutstandingLeases);
        Pool.Dispose();
        _memory.Dispose();
    }

    private async Task DetachAsync(VfsMount mount)
    {
        Vfs.Mounts.Detach(mount);
        if (mount.SuperBlock.MountCount == 0)
            await mount.SuperBlock.Type.KillSuperBlockAsync(mount.SuperBlock);
    }
}
