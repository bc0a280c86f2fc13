using Hardware.Cli.Commands;
using Hardware.Cli.Replay;

namespace Hardware.Cli.Tests.Replay;

public class MsrTraceReaderTests
{
    /// <summary>Lines in the MSR Cambridge form (hm volume 1); the third is recorded a little out of order, as happens.</summary>
    private const string Sample =
        "128166372003061629,hm,1,Read,3154152448,4096,1118\r\n" +
        "128166372016382155,hm,1,Write,3154152448,4096,1561\r\n" +
        "128166372016381000,hm,1,Read,0,65536,2000\r\n" +
        "\r\n" +
        "128166372026382245,hm,1,write,1073741824,512,900\r\n";

    private static IReadOnlyList<TraceIo> Parse(string text) => MsrTraceReader.Read(new StringReader(text), "hm_1.csv");

    [Fact]
    public void Filetime_ticks_become_nanoseconds_since_the_earliest_record_in_time_order()
    {
        Assert.Equal(
        [
            new TraceIo(0, false, 3154152448, 4096),
            new TraceIo(1_331_937_100, false, 0, 65536),
            new TraceIo(1_332_052_600, true, 3154152448, 4096),
            new TraceIo(2_332_061_600, true, 1073741824, 512),
        ], Parse(Sample));
    }

    [Fact]
    public void A_header_line_naming_the_columns_is_accepted()
    {
        Assert.Equal(Parse(Sample), Parse("Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n" + Sample));
    }

    [Fact]
    public void The_format_is_detected_from_the_first_line()
    {
        Assert.Equal(TraceFormat.Msr, TraceReader.Detect(Sample));
        Assert.Equal(TraceFormat.Blkparse, TraceReader.Detect("  8,0    3       11     0.009507758   697  Q   R 223490 + 8 [kjournald]\n"));
        Assert.Equal(Parse(Sample), TraceReader.Read(new StringReader(Sample), "hm_1.csv"));
    }

    [Theory]
    [InlineData("128166372003061629,hm,1,Read,3154152448,4096\n", "hm_1.csv line 1: expected 7 comma-separated fields")]
    [InlineData("128166372003061629,hm,1,Read,3154152448,4096,1118\n128166372003061630,hm,1,Trim,0,4096,1\n", "hm_1.csv line 2: Type 'Trim' is neither Read nor Write")]
    [InlineData("1281663720030616x9,hm,1,Read,3154152448,4096,1118\n", "hm_1.csv line 1: Timestamp '1281663720030616x9'")]
    [InlineData("128166372003061629,hm,1,Read,-5,4096,1118\n", "hm_1.csv line 1: Offset '-5' is not a byte offset")]
    [InlineData("128166372003061629,hm,1,Read,0,0,1118\n", "hm_1.csv line 1: Size '0'")]
    [InlineData("128166372003061629,hm,1,Read,0,512,1118\n\n128166372003061629,hm,2,Read,0,512,1118\n", "hm_1.csv line 3: hm disk 2 differs from hm disk 1 (line 1)")]
    [InlineData("\n\n", "hm_1.csv: no I/O records")]
    public void A_bad_line_is_one_error_naming_its_line(string text, string message)
    {
        CliException e = Assert.Throws<CliException>(() => Parse(text));
        Assert.Equal(2, e.ExitCode);
        Assert.StartsWith(message, e.Message);
    }
}
