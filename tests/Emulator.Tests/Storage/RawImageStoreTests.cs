using Hardware.Emulator.Storage;

namespace Hardware.Emulator.Tests.Storage;

public sealed class RawImageStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-raw-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_created_image_round_trips_data_and_is_a_plain_file_of_the_drive_length()
    {
        string path = Path.Combine(_directory, "disk.img");
        Assert.True(RawImageStore.TryCreate(path, 1 << 20, out RawImageStore? store, out string error), error);
        byte[] data = SparseMemoryStoreTests.Pattern(4096, seed: 5);
        using (store)
        {
            store!.Write(512 * 100, data);
            store.Flush();
        }

        Assert.Equal(1 << 20, new FileInfo(path).Length);
        byte[] raw = File.ReadAllBytes(path);
        Assert.Equal(data, raw.AsSpan(512 * 100, 4096).ToArray());
        Assert.All(raw.AsSpan(0, 512 * 100).ToArray(), b => Assert.Equal(0, b));

        Assert.True(RawImageStore.TryOpen(path, readOnly: true, out RawImageStore? reopened, out error), error);
        using (reopened)
        {
            Assert.True(reopened!.ReadOnly);
            Assert.Equal(1 << 20, reopened.Length);
            var back = new byte[4096];
            reopened.Read(512 * 100, back);
            Assert.Equal(data, back);
            Assert.Throws<InvalidOperationException>(() => reopened.Write(0, data));
        }
    }

    [Fact]
    public void Opening_a_missing_image_fails_with_a_message_naming_the_path()
    {
        string path = Path.Combine(_directory, "nowhere", "missing.img");
        Assert.False(RawImageStore.TryOpen(path, readOnly: false, out RawImageStore? store, out string error));
        Assert.Null(store);
        Assert.Contains(path, error);
    }

    [Fact]
    public void Creating_over_an_existing_file_fails_and_leaves_it_alone()
    {
        string path = Path.Combine(_directory, "keep.img");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.False(RawImageStore.TryCreate(path, 4096, out _, out string error));
        Assert.Contains(path, error);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void Discarded_ranges_read_back_as_zeros()
    {
        string path = Path.Combine(_directory, "trim.img");
        Assert.True(RawImageStore.TryCreate(path, 1 << 20, out RawImageStore? store, out string error), error);
        using (store)
        {
            store!.Write(0, SparseMemoryStoreTests.Pattern(64 * 1024, seed: 1));
            store.Discard(4096, 32 * 1024);
            var back = new byte[64 * 1024];
            store.Read(0, back);
            byte[] expected = SparseMemoryStoreTests.Pattern(64 * 1024, seed: 1);
            expected.AsSpan(4096, 32 * 1024).Clear();
            Assert.Equal(expected, back);
        }
    }
}
