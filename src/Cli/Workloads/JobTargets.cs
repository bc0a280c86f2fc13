using Hardware.BlockLayer;
using Hardware.Cli.Commands;
using Hardware.Emulator.Simulation;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Workloads;

/// <summary>One file or device a job clone does I/O on: its path inside the VFS and the region [Offset, Offset+Length).</summary>
public sealed record TargetFile(string GuestPath, bool IsDevice, long Offset, long Length);

/// <summary>
/// Where each job clone's I/O goes, as fio decides it: filename= names one file (shared by the clones) or a block
/// device; otherwise each clone gets nrfiles files named JOB.CLONE.FILE in directory= (or the filesystem's root).
/// A device region is size= (or size=N% of the device, or the rest of it after offset=); a file is filesize= or
/// size=/nrfiles long past offset=. Read jobs' files are laid out with data first; write-only jobs' files are only
/// extended (ftruncate), as fio does.
/// </summary>
public static class JobTargets
{
    private const int LayoutChunk = 1 << 20;

    public static IReadOnlyList<TargetFile> Resolve(WorkloadStack stack, JobSpec job, int clone)
    {
        string where = $"{job.Origin}: job '{job.Name}'";
        int largest = job.BlockSizes.Max(b => b.Bytes);
        if (job.FileName is { } name && WorkloadStack.IsDevicePath(name))
        {
            BlockDevice device = stack.Probe.Find(name["/dev/".Length..])
                ?? throw new CliException($"{where}: filename={name}: no such block device (the machine has {string.Join(", ", stack.Probe.Devices.Select(d => "/dev/" + d.Name))})");
            long capacity = device.CapacityBytes;
            long length = job.Size > 0 ? job.Size
                : job.SizePercent > 0 ? capacity * job.SizePercent / 100
                : capacity - job.Offset;
            if (job.Offset + length > capacity || length < largest)
                throw new CliException($"{where}: offset={job.Offset} size={length} does not fit {name} ({capacity} bytes)");
            return [new TargetFile(name, true, job.Offset, length)];
        }

        if (stack.Spec.FileSystem == FileSystemKind.None)
            throw new CliException($"{where}: {(job.FileName is null ? "no filename=" : $"filename={job.FileName} is a file")}, but no filesystem is mounted: use --fs ext2|ramfs or filename=/dev/sda");
        if (job.SizePercent > 0)
            throw new CliException($"{where}: size={job.SizePercent}% needs a block device (a file has no size to take a share of)");
        long fileSize = job.FileSize > 0 ? job.FileSize : job.Size / job.NrFiles;
        if (fileSize == 0)
            throw new CliException($"{where}: a file needs size= or filesize=");
        if (fileSize < largest)
            throw new CliException($"{where}: each file holds {fileSize} bytes, less than one block of {largest}");
        if (job.FileName is { } file)
            return [new TargetFile(WorkloadStack.GuestPath(file), false, job.Offset, fileSize)];
        string directory = job.Directory is null ? WorkloadStack.MountPoint : WorkloadStack.GuestPath(job.Directory);
        return [.. Enumerable.Range(0, job.NrFiles).Select(i => new TargetFile($"{directory}/{job.Name}.{clone}.{i}", false, job.Offset, fileSize))];
    }

    /// <summary>Whether fio writes the file's data before the job (reads need something to read).</summary>
    public static bool NeedsData(JobSpec job) => job.Pattern is not (IoPattern.Write or IoPattern.RandWrite);

    /// <summary>
    /// Creates every file the jobs use (with its directories), writing data into those read jobs need and extending the
    /// others; then drops the cache so the jobs start cold. Runs as a simulated process.
    /// </summary>
    public static async Task LayOutAsync(WorkloadStack stack, IEnumerable<(JobSpec Job, TargetFile File)> files)
    {
        var needed = new Dictionary<string, (long Size, bool Data, JobSpec Job)>();
        foreach ((JobSpec job, TargetFile file) in files.Where(f => !f.File.IsDevice))
        {
            long size = file.Offset + file.Length;
            needed[file.GuestPath] = needed.TryGetValue(file.GuestPath, out var seen)
                ? (Math.Max(seen.Size, size), seen.Data || NeedsData(job), seen.Job)
                : (size, NeedsData(job), job);
        }
        if (needed.Count == 0)
            return;
        SystemCalls calls = stack.Calls;
        Process root = stack.Root;
        byte[] chunk = new byte[LayoutChunk];
        FillRandom(chunk, stack.Simulation.CreateRandom("fio-layout"));
        bool wroteData = false;
        foreach ((string path, (long size, bool data, JobSpec job)) in needed.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string where = $"{job.Origin}: job '{job.Name}': laying out {path}"
                + (stack.Spec.FileSystem == FileSystemKind.RamFs ? $" (ramfs keeps every file in the {WorkloadStack.CacheBytes >> 20} MiB page cache)" : "");
            await MakeDirectoriesAsync(calls, root, path, where);
            VfsResult<int> opened = await calls.OpenAsync(root, path, OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4);
            Check(opened.Status, where);
            int fd = opened.Value;
            long existing = calls.Fstat(root, fd).Value.Size;
            if (existing < size)
            {
                if (data)
                {
                    for (long at = existing; at < size; at += LayoutChunk)
                    {
                        int length = (int)Math.Min(LayoutChunk, size - at);
                        VfsResult<int> written = await calls.PwriteAsync(root, fd, chunk.AsMemory(0, length), at);
                        Check(written.Status, where);
                    }
                    Check(await calls.FsyncAsync(root, fd), where);
                    wroteData = true;
                }
                else
                {
                    Check(await calls.FtruncateAsync(root, fd, size), where);
                }
            }
            Check(await calls.CloseAsync(root, fd), where);
        }
        if (wroteData)
            await stack.InvalidateAsync();
    }

    public static void FillRandom(Span<byte> buffer, SimRandom random)
    {
        for (int i = 0; i + 8 <= buffer.Length; i += 8)
            BitConverter.TryWriteBytes(buffer[i..], random.NextUInt64());
    }

    private static async Task MakeDirectoriesAsync(SystemCalls calls, Process root, string path, string where)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string current = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current += "/" + parts[i];
            VfsResult made = await calls.MkdirAsync(root, current, 0x1ED);
            if (!made.Ok && made.Errno != Errno.EEXIST)
                Check(made, where);
        }
    }

    private static void Check(VfsResult result, string where)
    {
        if (!result.Ok)
            throw new CliException($"{where}: {result}", 1);
    }
}
