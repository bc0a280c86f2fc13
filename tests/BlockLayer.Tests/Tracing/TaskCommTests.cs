using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public class TaskCommTests
{
    [Theory]
    [InlineData("dd", "dd")]
    [InlineData("journal-writer", "journal-writer")]
    [InlineData("exactly15chars!", "exactly15chars!")]
    [InlineData("sixteen-chars-xx", "sixteen-chars-x")]
    [InlineData("abcdefghijklmné", "abcdefghijklmn")]
    [InlineData("a\0b", "a?b")]
    public void Names_are_cut_to_fifteen_bytes_of_whole_characters_like_a_task_comm(string name, string comm) =>
        Assert.Equal(comm, TaskComm.Normalize(name));

    [Fact]
    public void A_comm_is_sixteen_bytes_padded_with_nul()
    {
        Span<byte> comm = stackalloc byte[TaskComm.Length];
        comm.Fill(0xFF);
        TaskComm.Encode("fio", comm);
        Assert.Equal("fio"u8.ToArray().Concat(new byte[13]).ToArray(), comm.ToArray());
        Assert.Equal("fio", TaskComm.Decode(comm));
    }
}
