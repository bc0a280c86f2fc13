using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public class BlktraceActionCodesTests
{
    // Expected values worked out by hand from blktrace_api.h (BLK_TA_* and BLK_TC_*) and __blk_add_trace.
    [Theory]
    [InlineData(BlockTraceAction.Queue, BioOp.Read, BioFlags.None, 0x0011_0001u)]
    [InlineData(BlockTraceAction.Queue, BioOp.Read, BioFlags.Sync, 0x0019_0001u)]
    [InlineData(BlockTraceAction.Queue, BioOp.Write, BioFlags.Sync | BioFlags.Fua, 0x801A_0001u)]
    [InlineData(BlockTraceAction.Queue, BioOp.Write, BioFlags.Sync | BioFlags.Preflush, 0x001E_0001u)]
    [InlineData(BlockTraceAction.Queue, BioOp.Flush, BioFlags.None, 0x0015_0001u)]
    [InlineData(BlockTraceAction.BackMerge, BioOp.Write, BioFlags.None, 0x0012_0002u)]
    [InlineData(BlockTraceAction.FrontMerge, BioOp.Read, BioFlags.ReadAhead, 0x0811_0003u)]
    [InlineData(BlockTraceAction.GetRequest, BioOp.Read, BioFlags.Meta, 0x1011_0004u)]
    [InlineData(BlockTraceAction.SleepRequest, BioOp.Write, BioFlags.None, 0x0012_0005u)]
    [InlineData(BlockTraceAction.Requeue, BioOp.Write, BioFlags.None, 0x0122_0006u)]
    [InlineData(BlockTraceAction.Issue, BioOp.Write, BioFlags.Sync, 0x014A_0007u)]
    [InlineData(BlockTraceAction.Complete, BioOp.Read, BioFlags.None, 0x0181_0008u)]
    [InlineData(BlockTraceAction.Insert, BioOp.Discard, BioFlags.None, 0x2112_000Cu)]
    [InlineData(BlockTraceAction.Split, BioOp.Read, BioFlags.None, 0x0001_000Du)]
    [InlineData(BlockTraceAction.Bounce, BioOp.Write, BioFlags.None, 0x0002_000Eu)]
    public void Actions_carry_their_category_the_direction_and_the_request_flags_as_the_kernel_records_them(
        BlockTraceAction action, BioOp op, BioFlags flags, uint expected) =>
        Assert.Equal(expected, BlktraceActionCodes.Encode(action, op, flags));

    [Theory]
    [InlineData(BlockTraceAction.Plug, 0x0011_0009u)]
    [InlineData(BlockTraceAction.UnplugIo, 0x0011_000Au)]
    [InlineData(BlockTraceAction.UnplugTimer, 0x0011_000Bu)]
    public void Plugs_and_unplugs_are_recorded_without_the_io_flags_like_the_kernels_opf_zero(BlockTraceAction action, uint expected)
    {
        Assert.Equal(expected, BlktraceActionCodes.Encode(action, BioOp.Write, BioFlags.Sync | BioFlags.Fua));
        Assert.Equal(expected, BlktraceActionCodes.Encode(action, BioOp.Read, BioFlags.None));
    }

    [Fact]
    public void Notify_records_carry_only_the_notify_category_and_the_kind()
    {
        Assert.Equal(0x0400_0000u, BlktraceActionCodes.Notify(BlktraceNotify.Process));
        Assert.Equal(0x0400_0001u, BlktraceActionCodes.Notify(BlktraceNotify.Timestamp));
        Assert.True(BlktraceActionCodes.IsNotify(0x0400_0000u));
        Assert.False(BlktraceActionCodes.TryDecode(0x0400_0000u, out _, out _, out _));
    }

    [Theory]
    [InlineData(BioOp.Read, BioFlags.None, 4096, "R")]
    [InlineData(BioOp.Read, BioFlags.Sync, 4096, "RS")]
    [InlineData(BioOp.Read, BioFlags.ReadAhead, 4096, "RA")]
    [InlineData(BioOp.Read, BioFlags.Meta | BioFlags.Sync, 4096, "RSM")]
    [InlineData(BioOp.Write, BioFlags.None, 4096, "W")]
    [InlineData(BioOp.Write, BioFlags.Sync, 4096, "WS")]
    [InlineData(BioOp.Write, BioFlags.Sync | BioFlags.Fua, 4096, "WFS")]
    [InlineData(BioOp.Write, BioFlags.Sync | BioFlags.Preflush, 0, "FWS")]
    [InlineData(BioOp.Write, BioFlags.Sync | BioFlags.Preflush | BioFlags.Fua, 4096, "FWFS")]
    [InlineData(BioOp.Discard, BioFlags.None, 1 << 20, "D")]
    [InlineData(BioOp.Flush, BioFlags.None, 0, "FN")]
    [InlineData(BioOp.Read, BioFlags.None, 0, "N")]
    public void Rwbs_spells_flush_direction_fua_readahead_sync_and_meta_like_blkparse(BioOp op, BioFlags flags, int bytes, string expected) =>
        Assert.Equal(expected, BlktraceActionCodes.Rwbs(BlktraceActionCodes.Encode(BlockTraceAction.Queue, op, flags), (uint)bytes));

    [Fact]
    public void Every_io_action_op_and_flag_combination_decodes_back_to_itself()
    {
        BioFlags all = BioFlags.Sync | BioFlags.Meta | BioFlags.Fua | BioFlags.Preflush | BioFlags.ReadAhead;
        foreach (BlockTraceAction action in Enum.GetValues<BlockTraceAction>())
        {
            if (action is BlockTraceAction.Plug or BlockTraceAction.UnplugIo or BlockTraceAction.UnplugTimer)
                continue;
            foreach (BioOp op in Enum.GetValues<BioOp>())
            {
                for (int bits = 0; bits <= (int)all; bits++)
                {
                    var flags = (BioFlags)bits & all;
                    // The kernel has one FLUSH bit for the empty flush and for a preflush, so on a non-write the two
                    // read back as the empty flush (Linux never preflushes a read).
                    bool flushBit = op == BioOp.Flush || (op == BioOp.Read && (flags & BioFlags.Preflush) != 0);
                    BioOp expectedOp = flushBit ? BioOp.Flush : op;
                    BioFlags expectedFlags = flushBit ? flags & ~BioFlags.Preflush : flags;
                    uint encoded = BlktraceActionCodes.Encode(action, op, flags);
                    Assert.True(BlktraceActionCodes.TryDecode(encoded, out BlockTraceAction decoded, out BioOp decodedOp, out BioFlags decodedFlags));
                    Assert.Equal((action, expectedOp, expectedFlags), (decoded, decodedOp, decodedFlags));
                }
            }
        }
    }

    [Fact]
    public void Codes_outside_the_known_actions_do_not_decode()
    {
        Assert.False(BlktraceActionCodes.TryDecode(0x0011_0000u, out _, out _, out _));
        Assert.False(BlktraceActionCodes.TryDecode(0x4000_0011u, out _, out _, out _)); // BLK_TA_DRV_DATA
    }

    [Theory]
    [InlineData(Errno.None, 0)]
    [InlineData(Errno.EIO, 65531)]
    [InlineData(Errno.ETIMEDOUT, 65426)]
    [InlineData(Errno.ENOSPC, 65508)]
    public void Errors_are_stored_as_a_negative_errno_in_sixteen_bits(Errno error, int field)
    {
        Assert.Equal((ushort)field, BlktraceActionCodes.EncodeError(error));
        Assert.Equal(error, BlktraceActionCodes.DecodeError((ushort)field));
    }

    [Fact]
    public void Each_action_has_blkparses_letters()
    {
        Assert.Equal(
            "Q M F G S R D C P U UT I X B A",
            string.Join(' ', new[]
            {
                BlockTraceAction.Queue, BlockTraceAction.BackMerge, BlockTraceAction.FrontMerge, BlockTraceAction.GetRequest,
                BlockTraceAction.SleepRequest, BlockTraceAction.Requeue, BlockTraceAction.Issue, BlockTraceAction.Complete,
                BlockTraceAction.Plug, BlockTraceAction.UnplugIo, BlockTraceAction.UnplugTimer, BlockTraceAction.Insert,
                BlockTraceAction.Split, BlockTraceAction.Bounce, BlockTraceAction.Remap,
            }.Select(BlktraceActionCodes.Letters)));
    }
}
