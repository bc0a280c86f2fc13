using System.Text;
using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Known_vectors_give_the_IEEE_checksum(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Thirty_two_zero_bytes_and_thirty_two_ff_bytes_give_the_published_checksums()
    {
        Assert.Equal(0x190A55ADu, Crc32.Compute(new byte[32]));
        Assert.Equal(0xFF6CAB0Bu, Crc32.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void Appending_pieces_gives_the_checksum_of_the_whole()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        for (int split = 0; split <= data.Length; split++)
            Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
    }
}
