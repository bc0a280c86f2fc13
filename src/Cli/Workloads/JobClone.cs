using Hardware.Cli.Commands;
using Hardware.Cli.Workloads.Fio;
using Hardware.Emulator.Simulation;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Workloads;

/// <summary>
/// One clone of a job (fio's numjobs): a simulated process with its own descriptors that issues the job's I/O through
/// the system calls, pread/pwrite on a file or on the block device node (O_DIRECT with direct=1). A synchronous engine
/// has one I/O in flight; an asynchronous one keeps iodepth in flight, each slot a task of the same process that
/// issues, waits and issues again. All slots draw from one offset generator, so the clone's I/O is one stream.
/// </summary>
internal sealed class JobClone
{
    private readonly WorkloadStack _stack;
    private readonly JobSpec _job;
    private readonly IReadOnlyList<TargetFile> _files;
    private readonly JobStats _stats;
    private readonly WorkloadProgress _progress;
    private readonly SimRandom _random;
    private readonly Process _process;
    private readonly int[] _descriptors;
    private readonly long[] _sequential;
    private readonly OffsetGenerator?[] _generators;
    private readonly FioLogRecorder? _logs;
    private readonly int _smallestBlock;
    private readonly int _largestBlock;
    private readonly long _loopBytes;
    private readonly string _label;
    private long _measureStart;
    private long _end = long.MaxValue;
    private long _issued;
    private long _issuedThisLoop;
    private int _loop;
    private int _nextFile;
    private long _nextIssueNs;
    private long _writes;
    private long _lastCompletion;
    private bool _stopped;
    private bool _lastWasSync;

    public JobClone(WorkloadStack stack, JobSpec job, int clone, int processId, IReadOnlyList<TargetFile> files, JobStats stats,
        WorkloadProgress progress, FioLogRecorder? logs = null)
    {
        _logs = logs;
        _stack = stack;
        _job = job;
        _files = files;
        _stats = stats;
        _progress = progress;
        ulong seed = job.RandomRepeat || job.RandomSeed != 0 ? job.RandomSeed : stack.Spec.Seed;
        _random = SimRandom.ForStream(seed, $"fio:{job.Name}:{clone}");
        _process = stack.Vfs.CreateProcess(processId, Credentials.Root);
        _descriptors = new int[files.Count];
        _sequential = new long[files.Count * 2];
        _smallestBlock = job.BlockSizes.Min(b => b.Bytes);
        _largestBlock = job.BlockSizes.Max(b => b.Bytes);
        // One offset generator per file, over the smallest-block slots where the largest block still fits.
        _generators = new OffsetGenerator?[files.Count];
        if (job.RandomDistribution.Kind != OffsetDistributionKind.Random)
        {
            for (int i = 0; i < files.Count; i++)
                _generators[i] = new OffsetGenerator(job.RandomDistribution, (files[i].Length - _largestBlock) / _smallestBlock + 1,
                    SimRandom.ForStream(seed, $"fio:{job.Name}:{clone}:distribution:{i}"));
        }
        _loopBytes = files.Sum(f => f.Length);
        _label = $"{job.Name}.{clone}";
    }

    public int ProcessId => _process.Id;

    public string Label => _label;

    public async Task RunAsync()
    {
        Simulation simulation = _stack.Simulation;
        if (_job.StartDelayNs > 0)
            await simulation.Delay(_job.StartDelayNs);
        bool writes = _job.Pattern is not (IoPattern.Read or IoPattern.RandRead);
        OpenFlags flags = (writes ? OpenFlags.ReadWrite : OpenFlags.ReadOnly) | (_job.Direct ? OpenFlags.Direct : 0);
        for (int i = 0; i < _files.Count; i++)
        {
            VfsResult<int> opened = await _stack.Calls.OpenAsync(_process, _files[i].GuestPath, flags);
            if (!opened.Ok)
            {
                _stats.RecordError($"open{(_job.Direct ? " with O_DIRECT" : "")}: {opened.Status}", (int)opened.Errno);
                await _stack.Vfs.ExitAsync(_process);
                return;
            }
            _descriptors[i] = opened.Value;
        }

        _measureStart = simulation.Now + _job.RampTimeNs;
        if (_job.RuntimeNs > 0)
            _end = _measureStart + _job.RuntimeNs;
        _nextIssueNs = simulation.Now;
        _lastCompletion = _measureStart;
        int depth = _job.Engine == IoEngineKind.Sync ? 1 : _job.IoDepth;
        var slots = new Task[depth];
        for (int slot = 0; slot < depth; slot++)
            slots[slot] = RunSlotAsync(slot);
        await Task.WhenAll(slots);
        if (writes && (_job.EndFsync || _job.FsyncOnClose))
            await EndFsyncAsync();
        _stats.RecordRuntime(Math.Max(0, _lastCompletion - _measureStart));
        await _stack.Vfs.ExitAsync(_process);
    }

    private async Task RunSlotAsync(int slot)
    {
        Simulation simulation = _stack.Simulation;
        SystemCalls calls = _stack.Calls;
        byte[] buffer = new byte[_largestBlock];
        JobTargets.FillRandom(buffer, SimRandom.ForStream(_random.NextUInt64(), $"buffer:{slot}"));
        bool sync = _job.Engine == IoEngineKind.Sync;
        while (TryNext(out PlannedIo io))
        {
            if (io.NotBefore > simulation.Now)
                await simulation.Delay(io.NotBefore - simulation.Now);
            int fd = _descriptors[io.File];
            long submitted = simulation.Now;
            // The CPU side of the call: for an asynchronous engine it is the submission latency (fio's slat).
            await simulation.Delay(CpuCost(io.Bytes));
            long queued = simulation.Now;
            VfsResult<int> result = io.IsRead
                ? await calls.PreadAsync(_process, fd, buffer.AsMemory(0, io.Bytes), io.Offset)
                : await calls.PwriteAsync(_process, fd, buffer.AsMemory(0, io.Bytes), io.Offset);
            long completed = simulation.Now;
            _lastWasSync = false;
            if (!result.Ok)
            {
                // fio's own words for a failed I/O (io_u error), with the VFS's account of an I/O error or corruption.
                Stop($"io_u error on file {_files[io.File].GuestPath}: {ErrnoText.Reason(result.Status)}: {(io.IsRead ? "read" : "write")} offset={io.Offset}, buflen={io.Bytes}",
                    (int)result.Errno);
                return;
            }
            if (submitted >= _measureStart)
            {
                if (sync)
                    _stats.Record(io.IsRead, result.Value, null, completed - submitted);
                else
                    _stats.Record(io.IsRead, result.Value, queued - submitted, completed - queued);
                _lastCompletion = Math.Max(_lastCompletion, completed);
                _logs?.Record(completed - _measureStart, io.IsRead, result.Value, io.Offset,
                    sync ? null : queued - submitted, sync ? completed - submitted : completed - queued);
                if (_progress.Observed)
                    _progress.Completed(new IoCompletion(_job.Name, io.IsRead, result.Value, submitted, completed));
            }
            if (!io.IsRead && !await SyncIfDueAsync(fd, io.File))
                return;
            if (_job.ThinkTimeNs > 0)
                await simulation.Delay(_job.ThinkTimeNs);
        }
    }

    /// <summary>The system call's virtual CPU time, with the copy through the page cache unless the I/O is direct.</summary>
    private long CpuCost(int bytes) =>
        _stack.Spec.SyscallCostNs + (_job.Direct ? 0 : (long)(bytes * _stack.Spec.CopyCostNsPerByte));

    private async Task<bool> SyncIfDueAsync(int fd, int file)
    {
        _writes++;
        bool fsync = _job.FsyncEvery > 0 && _writes % _job.FsyncEvery == 0;
        bool fdatasync = _job.FdatasyncEvery > 0 && _writes % _job.FdatasyncEvery == 0;
        if (!fsync && !fdatasync)
            return true;
        long started = _stack.Simulation.Now;
        VfsResult synced = await _stack.Calls.FsyncAsync(_process, fd, dataOnly: !fsync);
        if (synced.Ok)
        {
            _lastWasSync = true;
            if (started >= _measureStart)
                _stats.RecordSync(_stack.Simulation.Now - started);
            return true;
        }
        Stop($"{(fsync ? "fsync" : "fdatasync")} {_files[file].GuestPath}: {ErrnoText.Reason(synced)}", (int)synced.Errno);
        return false;
    }

    /// <summary>
    /// end_fsync / fsync_on_close, as fio does them when a job's writing is done: each file of the clone is fsynced once
    /// (unless the clone's last operation was already a sync), after the I/Os in flight have completed. fio times this
    /// inside the job's runtime but does not count it as a "sync" latency (the job is no longer running, it is
    /// fsyncing), so here it extends the runtime and is left out of the sync figures. A failed fsync stops the job with
    /// fio's "end_fsync failed" message.
    /// </summary>
    private async Task EndFsyncAsync()
    {
        if (_stopped || _lastWasSync)
            return;
        Simulation simulation = _stack.Simulation;
        for (int file = 0; file < _files.Count; file++)
        {
            VfsResult synced = await _stack.Calls.FsyncAsync(_process, _descriptors[file], dataOnly: false);
            if (!synced.Ok)
            {
                Stop($"end_fsync failed for file {_files[file].GuestPath}: {ErrnoText.Reason(synced)}", (int)synced.Errno);
                return;
            }
        }
        _lastWasSync = true;
        if (simulation.Now > _measureStart)
            _lastCompletion = Math.Max(_lastCompletion, simulation.Now);
    }

    /// <summary>fio stops a job at its first error (continue_on_error=none).</summary>
    private void Stop(string error, int errno)
    {
        if (!_stopped)
            _stats.RecordError(error, errno);
        _stopped = true;
    }

    /// <summary>The next I/O of the clone, or false when it is done (runtime passed, number_ios reached, size done loops times).</summary>
    private bool TryNext(out PlannedIo io)
    {
        io = default;
        long now = _stack.Simulation.Now;
        if (_stopped || now >= _end || _job.NumberIos > 0 && _issued >= _job.NumberIos)
            return false;
        if (_issuedThisLoop >= _loopBytes)
        {
            _loop++;
            if (!_job.TimeBased && _loop >= _job.Loops)
                return false;
            _issuedThisLoop = 0;
            Array.Clear(_sequential);
        }
        int file = _nextFile;
        _nextFile = (_nextFile + 1) % _files.Count;
        bool isRead = _job.Pattern switch
        {
            IoPattern.Read or IoPattern.RandRead => true,
            IoPattern.Write or IoPattern.RandWrite => false,
            _ => _random.NextInt32(100) < _job.ReadMixPercent,
        };
        int bytes = PickBlockSize();
        TargetFile target = _files[file];
        long offset;
        if (_job.Pattern is IoPattern.RandRead or IoPattern.RandWrite or IoPattern.RandReadWrite)
            offset = target.Offset + RandomOrContinuing(file, isRead, bytes, target);
        else
        {
            ref long position = ref _sequential[file * 2 + (isRead ? 0 : 1)];
            if (position + bytes > target.Length)
                position = 0;
            offset = target.Offset + position;
            position += bytes;
        }
        long notBefore = now;
        if (_job.RateIops > 0)
        {
            notBefore = Math.Max(now, _nextIssueNs);
            _nextIssueNs = notBefore + 1_000_000_000L / _job.RateIops;
        }
        _issued++;
        _issuedThisLoop += bytes;
        io = new PlannedIo(file, isRead, offset, bytes, notBefore);
        return true;
    }

    /// <summary>
    /// The offset in the file of a random job's next I/O. With percentage_random below 100, each I/O is random with that
    /// chance, else it continues where the direction's previous I/O on the file ended (fio's last_pos), or is random
    /// after all when that would run past the end of the region. Random offsets follow random_distribution.
    /// </summary>
    private long RandomOrContinuing(int file, bool isRead, int bytes, TargetFile target)
    {
        if (_job.PercentageRandom < 100)
        {
            ref long position = ref _sequential[file * 2 + (isRead ? 0 : 1)];
            bool random = _random.NextInt32(100) < _job.PercentageRandom;
            long offset = !random && position + bytes <= target.Length ? position : RandomOffset(file, bytes, target);
            position = offset + bytes;
            return offset;
        }
        return RandomOffset(file, bytes, target);
    }

    private long RandomOffset(int file, int bytes, TargetFile target)
    {
        if (_generators[file] is { } generator)
            return generator.Next(_random) * _smallestBlock;
        long slots = (target.Length - bytes) / _smallestBlock + 1;
        return _random.NextInt64(slots) * _smallestBlock;
    }

    private int PickBlockSize()
    {
        IReadOnlyList<BlockSizeShare> sizes = _job.BlockSizes;
        if (sizes.Count == 1)
            return sizes[0].Bytes;
        int draw = _random.NextInt32(100);
        foreach (BlockSizeShare share in sizes)
        {
            if (draw < share.Percent)
                return share.Bytes;
            draw -= share.Percent;
        }
        return sizes[^1].Bytes;
    }

    private readonly record struct PlannedIo(int File, bool IsRead, long Offset, int Bytes, long NotBefore);
}
