using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;

namespace Hardware.Vfs.Tests.Pipes;

public sealed class PipeAtomicityTests
{
    private const int WriterCount = 4;

    [Fact]
    public void Writes_of_at_most_PIPE_BUF_bytes_from_several_writers_are_never_interleaved()
    {
        var (stream, writes) = Run(minSize: 1, maxSize: PipeLimits.PipeBuf, writesPerWriter: 60);
        List<(byte Value, int Length)> runs = Runs(stream);

        // Each write fills its bytes with a value unique among neighbouring writes, so an intact write is one run.
        Assert.Equal(writes.Count, runs.Count);
        foreach (var (value, length) in runs)
            Assert.Contains((value, length), writes);
        Assert.Equal(writes.Sum(w => w.Length), stream.Length);
    }

    [Fact]
    public void A_write_larger_than_PIPE_BUF_can_be_split_by_another_writers_data()
    {
        var sim = new Simulation(seed: 3);
        var (reader, writer) = Pipe.Create(sim, capacityBytes: PipeLimits.PipeBuf);
        writer.Duplicate();
        var large = new byte[10_000];
        Array.Fill(large, (byte)'A');
        var stream = new List<byte>();
        sim.Spawn(async () =>
        {
            Assert.Equal(TransferResult.Success(10_000), await writer.WriteAsync(large));
            writer.Close();
        });
        sim.Spawn(async () =>
        {
            await sim.Delay(100);
            var buffer = new byte[PipeLimits.PipeBuf];
            TransferResult r = await reader.ReadAsync(buffer);
            stream.AddRange(buffer.AsSpan(0, r.Bytes).ToArray());
            // The large writer is blocked mid-write; this small write finds room first.
            Assert.Equal(TransferResult.Success(100), await writer.WriteAsync(Enumerable.Repeat((byte)'B', 100).ToArray()));
            writer.Close();
            while ((r = await reader.ReadAsync(buffer)).Bytes > 0)
                stream.AddRange(buffer.AsSpan(0, r.Bytes).ToArray());
        });
        sim.Run();

        Assert.Equal([('A', 4096), ('B', 100), ('A', 10_000 - 4096)], Runs(stream.ToArray()).Select(r => ((char)r.Value, r.Length)));
    }

    private static (byte[] Stream, List<(byte Value, int Length)> Writes) Run(int minSize, int maxSize, int writesPerWriter)
    {
        var sim = new Simulation(seed: 11);
        var (reader, writer) = Pipe.Create(sim, capacityBytes: 4 * PipeLimits.PipeBuf);
        var writes = new List<(byte Value, int Length)>();
        var stream = new List<byte>();
        int open = WriterCount;
        for (int w = 0; w < WriterCount; w++)
        {
            int id = w;
            if (id > 0)
                writer.Duplicate();
            sim.Spawn(async () =>
            {
                SimRandom random = sim.CreateRandom($"writer{id}");
                for (int seq = 0; seq < writesPerWriter; seq++)
                {
                    var data = new byte[minSize + random.NextInt32(maxSize - minSize + 1)];
                    byte value = (byte)(id * 64 + seq % 64);
                    Array.Fill(data, value);
                    writes.Add((value, data.Length));
                    TransferResult r = await writer.WriteAsync(data);
                    Assert.Equal(TransferResult.Success(data.Length), r);
                    await sim.Delay(random.NextInt64(3) * 1_000); // coarse steps: writers and reads coincide in time
                }
                open--;
                writer.Close();
            });
        }
        sim.Spawn(async () =>
        {
            SimRandom random = sim.CreateRandom("reader");
            var buffer = new byte[7000];
            while (true)
            {
                await sim.Delay(random.NextInt64(3) * 1_000);
                TransferResult r = await reader.ReadAsync(buffer.AsMemory(0, 1 + random.NextInt32(2_000)));
                Assert.True(r.IsSuccess);
                if (r.Bytes == 0)
                    break;
                stream.AddRange(buffer.AsSpan(0, r.Bytes).ToArray());
            }
        });
        sim.Run();
        Assert.Equal(0, open);
        // Writers had to wait for room, so a write could have been split had the pipe allowed it.
        Assert.True(reader.Pipe.Stats.WriterSleeps > 0);
        return (stream.ToArray(), writes);
    }

    private static List<(byte Value, int Length)> Runs(byte[] stream)
    {
        var runs = new List<(byte, int)>();
        int start = 0;
        for (int i = 1; i <= stream.Length; i++)
        {
            if (i == stream.Length || stream[i] != stream[start])
            {
                runs.Add((stream[start], i - start));
                start = i;
            }
        }
        return runs;
    }
}
