using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue;

/// <summary>
/// Random bio streams from several processes - plugged batches and waits, sequential runs that merge back and front,
/// scattered and contiguous segments, splits, flushes, FUA and preflush writes, discards, partitions - against a
/// driver that answers busy, requeues and fails at random, under random limits. Every run must: complete every bio
/// exactly once; move every 512-byte piece of a successful bio exactly once and nothing else (keyed by disk sector
/// and guest address); keep every request within the limits (the fake driver checks on issue); never merge across
/// partitions; and keep flush ordering - what completed before a flush or preflush write was submitted is durable
/// when the flush completes or the preflush write's data goes out, and a FUA write is durable when it completes.
/// </summary>
public class QueuePropertyTests
{
    public static IEnumerable<object[]> Seeds => Enumerable.Range(1, 32).Select(i => new object[] { (ulong)i });

    private sealed record BioRecord(Bio Bio, BlockDevice Device, long DiskSector, int CompletedBeforeSubmit);

    private sealed class World
    {
        public readonly Dictionary<(long Sector, ulong Address), BioRecord> Units = [];
        public readonly Dictionary<(long Sector, ulong Address), int> Served = [];
        public readonly Dictionary<(long Sector, ulong Address), long> WrittenAt = []; // write number, or -1 for FUA
        public readonly Dictionary<ulong, BioRecord> ByAddress = [];
        public readonly Dictionary<long, BioRecord> DiscardUnits = [];
        public readonly Dictionary<long, int> DiscardServed = [];
        public readonly List<BioRecord> All = [];
        public readonly List<BioRecord> CompletedWrites = [];
        public readonly List<bool> KnownDurable = []; // durability never goes away, so each write is proven once
        public readonly List<string> Violations = [];
        public ulong NextAddress = 0x1000_0000;
        public long NextDiscard = 600_000; // discards take fresh, ascending disk sectors so each sector has one owner
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_bio_streams_complete_every_bio_once_and_move_every_sector_exactly_once_within_the_limits(ulong seed)
    {
        var pick = new SimRandom(seed);
        int block = pick.NextInt32(4) == 0 ? 4096 : 512;
        var limits = new QueueLimits
        {
            LogicalBlockSize = block,
            PhysicalBlockSize = block,
            MaxSectors = new[] { 16, 128, 1024, 2560 }[pick.NextInt32(4)],
            MaxSegments = new[] { 2, 8, 32, 128 }[pick.NextInt32(4)],
            MaxSegmentSize = new[] { 4096, 16384, 65536 }[pick.NextInt32(3)],
            QueueDepth = new[] { 1, 4, 32 }[pick.NextInt32(3)],
            WriteCache = pick.NextInt32(4) != 0,
            Fua = pick.NextInt32(2) == 0,
            MaxDiscardSectors = new long[] { 0, 64, 4096 }[pick.NextInt32(3)],
        };
        var options = new QueueOptions
        {
            FrontMerges = pick.NextInt32(4) != 0,
            Merges = pick.NextInt32(8) != 0,
            PlugMaxRequests = pick.NextInt32(2) == 0 ? 4 : 32,
        };
        var h = new QueueHarness(limits, options, capacitySectors: 1 << 20, seed: seed);
        h.Driver.Record = false;
        BlockDevice[] devices = [h.Disk, h.Disk.AddPartition(1, 2048, 200_000), h.Disk.AddPartition(2, 202_048, 200_000)];
        var world = new World();
        SimRandom driverRandom = h.Simulation.CreateRandom("driver");
        h.Driver.Decide = r =>
        {
            long latency = 10_000 + driverRandom.NextInt64(2 * SimTime.Millisecond);
            int roll = driverRandom.NextInt32(100);
            if (roll < 5)
                return DriverAction.Busy;
            if (roll < 10 && r.Retries == 0)
                return new DriverAction(DriverActionKind.Requeue, LatencyNs: latency);
            if (roll < 12)
                return new DriverAction(DriverActionKind.Complete, Errno.EIO, latency);
            return new DriverAction(DriverActionKind.Complete, LatencyNs: latency);
        };
        h.Driver.OnAccepted = r => CheckAccepted(h, world, r);
        h.Driver.OnCompleting = (r, status) => RecordServed(h, world, r, status);

        Task[] processes = Enumerable.Range(1, 4)
            .Select(pid => h.Simulation.Spawn(() => RunProcess(h, world, devices, pid, h.Simulation.CreateRandom($"process{pid}"))))
            .ToArray();
        h.Simulation.RunUntilComplete(Task.WhenAll(processes));

        Assert.Empty(world.Violations);
        foreach (BioRecord record in world.All)
            Assert.True(record.Bio.Completion.IsCompleted, $"{record.Bio} never completed");
        foreach (((long, ulong) key, BioRecord record) in world.Units)
        {
            int served = world.Served.GetValueOrDefault(key);
            if (record.Bio.Status == Errno.None)
                Assert.True(served == 1, $"{record.Bio} piece {key} served {served} times");
            else
                Assert.True(served <= 1, $"{record.Bio} piece {key} served {served} times");
        }
        Assert.All(world.Served.Keys, key => Assert.True(world.Units.ContainsKey(key), $"phantom piece {key}"));
        foreach ((long sector, BioRecord record) in world.DiscardUnits)
        {
            int served = world.DiscardServed.GetValueOrDefault(sector);
            Assert.True(record.Bio.Status == Errno.None ? served == 1 : served <= 1, $"{record.Bio} sector {sector} discarded {served} times");
        }
        Assert.All(world.DiscardServed.Keys, sector => Assert.True(world.DiscardUnits.ContainsKey(sector), $"phantom discard {sector}"));

        // Nothing is left anywhere, and the trace tells the same story as the counters.
        RequestQueueStatistics stats = h.Queue.Statistics;
        Assert.Equal((0, 0, 0, 0, 0), (h.Queue.HeldCount, h.Queue.DispatchListCount, h.Queue.InFlight, h.Disk.Stats.InFlight, h.Elevator.Outstanding));
        RecordingTracer t = h.Tracer;
        Assert.Equal(stats.BiosQueued, t.Count(BlockTraceAction.Queue));
        Assert.Equal(stats.RequestsAllocated, t.Count(BlockTraceAction.GetRequest));
        Assert.Equal(stats.Issued, t.Count(BlockTraceAction.Issue));
        Assert.Equal(stats.Requeues + stats.BusyAnswers, t.Count(BlockTraceAction.Requeue));
        Assert.Equal(stats.RequestsAllocated - stats.RequestMerges + stats.FlushesIssued, t.Count(BlockTraceAction.Complete));
        Assert.Equal(stats.BackMerges + stats.RequestMerges, t.Count(BlockTraceAction.BackMerge));
        Assert.Equal(stats.FrontMerges, t.Count(BlockTraceAction.FrontMerge));
        Assert.True(t.Events.Zip(t.Events.Skip(1)).All(p => p.First.Time <= p.Second.Time), "trace times go back");
        Assert.True(stats.Completed > 50, "the workload ran");
    }

    private static async Task RunProcess(QueueHarness h, World world, BlockDevice[] devices, int pid, SimRandom random)
    {
        var at = new Placement { Cursor = random.NextInt64(100_000) };
        int block = h.Disk.LogicalBlockSize / Bio.SectorSize;
        for (int round = 0; round < 25; round++)
        {
            BlockDevice chosen = devices[random.NextInt32(devices.Length)];
            bool batch = random.NextInt32(2) == 0;
            int count = batch ? 1 + random.NextInt32(12) : 1;
            var pending = new List<BioRecord>();
            BlockPlug? plug = batch && random.NextInt32(4) != 0 ? h.Queue.Plug(pid) : null;
            for (int i = 0; i < count; i++)
            {
                // Discards go to the disk's own region (see NextDiscard); everything else to the chosen device.
                bool discard = h.Disk.Limits.MaxDiscardSectors > 0 && random.NextInt32(20) == 0;
                BlockDevice device = discard ? h.Disk : chosen;
                Bio bio = NewBio(h, world, device, pid, random, at, block, discard);
                pending.Add(Submit(world, device, bio));
            }
            if (plug is not null)
            {
                switch (random.NextInt32(3))
                {
                    case 0: plug.Finish(); break;
                    case 1: h.Queue.FlushPlug(pid); plug.Finish(); break;
                    default: break; // finished below, after waiting: the wait itself unplugs
                }
            }
            foreach (BioRecord record in pending)
            {
                if (plug is not null)
                    h.Queue.FlushPlug(pid); // about to sleep
                await record.Bio.Completion.Task;
                Observe(h, world, record);
            }
            plug?.Finish();
            if (random.NextInt32(4) == 0)
                await h.Simulation.Delay(random.NextInt64(SimTime.Millisecond));
        }
    }

    /// <summary>Where a process's next bio goes, so that runs merge at the back, at the front and across gaps.</summary>
    private sealed class Placement
    {
        public long Cursor;      // end of the last bio
        public long LastStart;   // start of the last bio
        public long GapStart = -1;
        public int GapSectors;
    }

    private static Bio NewBio(QueueHarness h, World world, BlockDevice device, int pid, SimRandom random, Placement at, int block, bool discard)
    {
        var bio = new Bio(h.Simulation);
        if (discard)
        {
            bio.Reset(BioOp.Discard, world.NextDiscard - device.StartSector, BioFlags.None, pid);
            bio.SectorCount = block * (1 + random.NextInt32(300));
            world.NextDiscard += bio.SectorCount + (random.NextInt32(2) == 0 ? 0 : block); // adjacent or not: merges happen
            return bio;
        }
        int roll = random.NextInt32(100);
        if (roll < 5)
        {
            bio.Reset(BioOp.Flush, 0, BioFlags.None, pid);
            return bio;
        }
        bool write = roll < 60;
        BioFlags flags = write
            ? (random.NextInt32(12) == 0 ? BioFlags.Fua : 0) | (random.NextInt32(12) == 0 ? BioFlags.Preflush : 0) | (random.NextInt32(3) == 0 ? BioFlags.Sync : 0)
            : (random.NextInt32(2) == 0 ? BioFlags.Sync : 0) | (random.NextInt32(5) == 0 ? BioFlags.ReadAhead : 0);
        bio.Reset(write ? BioOp.Write : BioOp.Read, 0, flags, pid);

        // Where: continue the run (back merge), end where the last bio started (front merge), skip ahead leaving a
        // gap, fill the gap left earlier (closes it: request merges), or jump anywhere.
        int where = random.NextInt32(10);
        int sectors = block * (1 + random.NextInt32(random.NextInt32(8) == 0 ? 700 : 16));
        long sector;
        if (where == 7 && at.GapStart >= 0)
        {
            sector = at.GapStart;
            sectors = at.GapSectors;
            at.GapStart = -1;
        }
        else if (where < 5)
        {
            sector = at.Cursor;
        }
        else if (where == 5)
        {
            sector = at.LastStart - sectors;
        }
        else if (where == 6)
        {
            sector = at.Cursor + sectors;
            at.GapStart = at.Cursor;
            at.GapSectors = sectors;
        }
        else
        {
            sector = random.NextInt64(device.CapacitySectors);
        }
        sector -= sector % block;
        if (sector < 0 || sector > device.CapacitySectors - sectors)
            sector = 0;

        long bytes = (long)sectors * Bio.SectorSize;
        ulong address = world.NextAddress;
        for (long done = 0; done < bytes;)
        {
            int length = (int)Math.Min(bytes - done, (long)block * Bio.SectorSize * (1 + random.NextInt32(16)));
            if (random.NextInt32(3) == 0)
                address += 4096 * (ulong)(1 + random.NextInt32(4)); // a gap: a new physical segment
            bio.AddSegment(new BioSegment(address, length));
            address += (ulong)length;
            done += length;
        }
        world.NextAddress = address + 0x10_0000;
        bio.Sector = sector;
        at.LastStart = sector;
        at.Cursor = Math.Max(at.Cursor, sector + sectors);
        if (where != 6 && where != 7)
            at.Cursor = sector + sectors;
        return bio;
    }

    private static BioRecord Submit(World world, BlockDevice device, Bio bio)
    {
        var record = new BioRecord(bio, device, device.StartSector + bio.Sector, world.CompletedWrites.Count);
        world.All.Add(record);
        if (bio.Op is BioOp.Read or BioOp.Write)
        {
            long sector = record.DiskSector;
            foreach (BioSegment segment in bio.Segments)
            {
                for (int offset = 0; offset < segment.Length; offset += Bio.SectorSize)
                {
                    ulong address = segment.Address + (ulong)offset;
                    world.Units.Add((sector++, address), record);
                    world.ByAddress.Add(address, record);
                }
            }
        }
        else if (bio.Op == BioOp.Discard)
        {
            for (long s = record.DiskSector; s < record.DiskSector + bio.SectorCount; s++)
                world.DiscardUnits.Add(s, record);
        }
        IoError? error = device.Submit(bio);
        if (error is not null)
            world.Violations.Add($"refused: {error}");
        return record;
    }

    /// <summary>The process saw its bio complete: check what must be durable, and remember completed writes.</summary>
    private static void Observe(QueueHarness h, World world, BioRecord record)
    {
        Bio bio = record.Bio;
        if (bio.Status != Errno.None || !h.Disk.Limits.WriteCache)
        {
            if (bio.Status == Errno.None && bio.Op == BioOp.Write)
                AddCompletedWrite(world, record);
            return;
        }
        if (bio.Op == BioOp.Flush)
            CheckDurable(h, world, record.CompletedBeforeSubmit, $"flush {bio}");
        if (bio.Op == BioOp.Write)
        {
            if ((bio.Flags & BioFlags.Fua) != 0 && !IsDurable(h, world, record))
                world.Violations.Add($"FUA write {bio} not durable at completion");
            AddCompletedWrite(world, record);
        }
    }

    private static void AddCompletedWrite(World world, BioRecord record)
    {
        world.CompletedWrites.Add(record);
        world.KnownDurable.Add(false);
    }

    private static void CheckAccepted(QueueHarness h, World world, Request request)
    {
        if (request.FirstBio is not { } first || first.SegmentCount == 0)
            return;
        BioRecord owner = world.ByAddress[first.Segments[0].Address];
        for (Bio? bio = first; bio is not null; bio = bio.Next)
        {
            if (!ReferenceEquals(world.ByAddress[bio.Segments[0].Address].Device, owner.Device))
                world.Violations.Add($"{request} merges bios of {owner.Device.Name} and another device");
        }
        if (h.Disk.Limits.WriteCache && (owner.Bio.Flags & BioFlags.Preflush) != 0)
            CheckDurable(h, world, owner.CompletedBeforeSubmit, $"data of preflush write {owner.Bio}");
    }

    private static void CheckDurable(QueueHarness h, World world, int completedBefore, string what)
    {
        for (int i = 0; i < completedBefore; i++)
        {
            if (world.KnownDurable[i])
                continue;
            if (IsDurable(h, world, world.CompletedWrites[i]))
                world.KnownDurable[i] = true;
            else
                world.Violations.Add($"{what}: earlier write {world.CompletedWrites[i].Bio} is not durable");
        }
    }

    private static bool IsDurable(QueueHarness h, World world, BioRecord write)
    {
        long sector = write.DiskSector;
        foreach (BioSegment segment in write.Bio.Segments)
        {
            for (int offset = 0; offset < segment.Length; offset += Bio.SectorSize)
            {
                long at = world.WrittenAt[(sector++, segment.Address + (ulong)offset)];
                if (at != -1 && at > h.Driver.DurableWatermark)
                    return false;
            }
        }
        return true;
    }

    private static void RecordServed(QueueHarness h, World world, Request request, Errno status)
    {
        if (status != Errno.None)
            return;
        long sector = request.Sector;
        if (request.Op == BioOp.Discard)
        {
            for (long s = sector; s < request.EndSector; s++)
                world.DiscardServed[s] = world.DiscardServed.GetValueOrDefault(s) + 1;
            return;
        }
        if (request.Op == BioOp.Flush)
            return;
        bool fua = (request.Flags & BioFlags.Fua) != 0;
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
        {
            foreach (BioSegment segment in bio.Segments)
            {
                for (int offset = 0; offset < segment.Length; offset += Bio.SectorSize)
                {
                    var key = (sector++, segment.Address + (ulong)offset);
                    world.Served[key] = world.Served.GetValueOrDefault(key) + 1;
                    if (request.Op == BioOp.Write)
                        world.WrittenAt[key] = fua ? -1 : h.Driver.CompletedWrites;
                }
            }
        }
    }
}
