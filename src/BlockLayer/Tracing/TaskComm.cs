using System.Text;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// A process name as the kernel keeps it (task_struct.comm, TASK_COMM_LEN = 16): at most 15 bytes and a NUL. A
/// BLK_TN_PROCESS record carries all 16 bytes, and blkparse prints at most 15, so longer names are cut here once.
/// </summary>
public static class TaskComm
{
    public const int Length = 16;

    /// <summary>Writes <paramref name="name"/> as a NUL-padded comm into the first 16 bytes of <paramref name="destination"/>.</summary>
    public static void Encode(string name, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> comm = destination[..Length];
        comm.Clear();
        int written = 0;
        foreach (Rune rune in name.EnumerateRunes())
        {
            // Whole characters only, and never a NUL inside the name (it would end it early).
            Rune safe = rune.Value == 0 ? new Rune('?') : rune;
            if (written + safe.Utf8SequenceLength > Length - 1)
                break;
            written += safe.EncodeToUtf8(comm[written..]);
        }
    }

    /// <summary>The name in a comm field: the bytes before the first NUL (or all 16).</summary>
    public static string Decode(ReadOnlySpan<byte> comm)
    {
        if (comm.Length > Length)
            comm = comm[..Length];
        int end = comm.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]);
    }

    /// <summary>The name exactly as a trace will carry it.</summary>
    public static string Normalize(string name)
    {
        Span<byte> comm = stackalloc byte[Length];
        Encode(name, comm);
        return Decode(comm);
    }
}
