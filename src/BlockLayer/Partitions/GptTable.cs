namespace Hardware.BlockLayer.Partitions;

/// <summary>A GPT header that passed every check, with its verified partition entry array.</summary>
internal sealed record GptTable(long HeaderLba, GptHeader Header, byte[] Entries)
{
    public GptPartitionEntry Entry(int index) =>
        GptPartitionEntry.Read(Entries.AsSpan(index * (int)Header.SizeOfPartitionEntry, GptPartitionEntry.Size));
}

/// <summary>Either a valid table or the first problem found with it, phrased to name the field and value.</summary>
internal readonly record struct GptTableCheck(GptTable? Table, Errno Errno, string Problem)
{
    public static GptTableCheck Valid(GptTable table) => new(table, Errno.None, "");
    public static GptTableCheck Damaged(string problem) => new(null, Errno.EUCLEAN, problem);
    public static GptTableCheck Unreadable(IoError error) => new(null, error.Errno, error.Message);
}
