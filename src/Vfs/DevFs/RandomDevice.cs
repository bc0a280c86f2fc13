using System.Buffers.Binary;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// /dev/random (1:8) and /dev/urandom (1:9): bytes from a SimRandom stream of the simulation (named after the
/// device), so the same seed gives the same bytes. Writes are accepted and dropped: in Linux they only mix entropy in,
/// which a deterministic machine must not let change later output. Reads never block (random behaves as since 5.6).
/// </summary>
public sealed class RandomDevice : CharDeviceDriver
{
    public const int RandomMinor = 8;
    public const int UrandomMinor = 9;

    private readonly SimRandom _random;

    public RandomDevice(Simulation simulation, string name)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        Name = name;
        _random = simulation.CreateRandom($"devfs.{name}");
    }

    public string Name { get; }

    public override ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        Span<byte> span = buffer.Span;
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        int filled = 0;
        while (filled < span.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, _random.NextUInt64());
            int take = Math.Min(word.Length, span.Length - filled);
            word[..take].CopyTo(span[filled..]);
            filled += take;
        }
        return new(new IoResult(span.Length));
    }

    public override ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(buffer.Length));
}
