using Hardware.Emulator.Storage;

namespace Hardware.Emulator.Tests.Storage;

public class SparseMemoryStoreTests
{
    [Fact]
    public void A_terabyte_store_costs_nothing_until_written()
    {
        using var store = new SparseMemoryStore(1L << 40);
        Assert.Equal(1L << 40, store.Length);
        Assert.Equal(0, store.AllocatedBytes);
    }

    [Fact]
    public void Only_written_chunks_are_allocated_and_the_rest_reads_as_zeros()
    {
        using var store = new SparseMemoryStore(1L << 40, chunkBytes: 4096);
        byte[] data = Pattern(6000, seed: 3);
        long offset = (1L << 39) + 1000; // spans two chunks
        store.Write(offset, data);
        Assert.Equal(2 * 4096, store.AllocatedBytes);

        var back = new byte[6000];
        store.Read(offset, back);
        Assert.Equal(data, back);

        var elsewhere = new byte[8192];
        elsewhere.AsSpan().Fill(0xEE);
        store.Read(12345, elsewhere);
        Assert.All(elsewhere, b => Assert.Equal(0, b));

        var aroundTheWrite = new byte[1000];
        store.Read(offset - 1000, aroundTheWrite);
        Assert.All(aroundTheWrite, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Writing_zeros_to_an_unallocated_chunk_allocates_nothing()
    {
        using var store = new SparseMemoryStore(1 << 20, chunkBytes: 4096);
        store.Write(8192, new byte[4096]);
        Assert.Equal(0, store.AllocatedBytes);
    }

    [Fact]
    public void Discard_frees_whole_chunks_and_zeros_partial_ones()
    {
        using var store = new SparseMemoryStore(1 << 20, chunkBytes: 4096);
        store.Write(0, Pattern(3 * 4096, seed: 9));
        Assert.Equal(3 * 4096, store.AllocatedBytes);

        store.Discard(2048, 4096 + 2048); // second half of chunk 0, all of chunk 1
        Assert.Equal(2 * 4096, store.AllocatedBytes);

        var back = new byte[3 * 4096];
        store.Read(0, back);
        byte[] expected = Pattern(3 * 4096, seed: 9);
        expected.AsSpan(2048, 4096 + 2048).Clear();
        Assert.Equal(expected, back);
    }

    [Fact]
    public void A_range_outside_the_store_is_a_caller_bug()
    {
        using var store = new SparseMemoryStore(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Read(4000, new byte[200]));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Write(-1, new byte[1]));
    }

    internal static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = (byte)(i * 31 + seed * 7 + (i >> 8));
        return data;
    }
}
