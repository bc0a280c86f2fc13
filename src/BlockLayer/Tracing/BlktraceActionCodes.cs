namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// Builds and takes apart a record's 32-bit action as kernel/trace/blktrace.c does: the action code, the category
/// fixed for that action (BLK_TA_* in blktrace_api.h), FS on request-level events, then the I/O's direction and
/// modifiers from its op and flags (__blk_add_trace).
/// </summary>
public static class BlktraceActionCodes
{
    public const int CategoryShift = 16;

    /// <summary>The largest action code <see cref="BlockTraceAction"/> defines.</summary>
    public const ushort MaxActionCode = (ushort)BlockTraceAction.Abort;

    /// <summary>The action field the kernel records for <paramref name="action"/> on an I/O with this op and flags.</summary>
    public static uint Encode(BlockTraceAction action, BioOp op, BioFlags flags)
    {
        BlktraceCategory categories = FixedCategory(action);

        // Plug and unplug are traced with no I/O attached (opf 0): a read with no modifiers.
        if (action is BlockTraceAction.Plug or BlockTraceAction.UnplugIo or BlockTraceAction.UnplugTimer)
            return Compose(action, categories | BlktraceCategory.Read);

        // blk_add_trace_rq marks request-level events; bio-level ones (Q, M, F, G, S, X, B) carry no FS bit.
        if (action is BlockTraceAction.Insert or BlockTraceAction.Issue or BlockTraceAction.Complete or BlockTraceAction.Requeue)
            categories |= BlktraceCategory.Fs;

        // op_is_write: REQ_OP_WRITE and REQ_OP_DISCARD are odd, REQ_OP_READ and REQ_OP_FLUSH even.
        categories |= op is BioOp.Write or BioOp.Discard ? BlktraceCategory.Write : BlktraceCategory.Read;
        if (op == BioOp.Discard)
            categories |= BlktraceCategory.Discard;
        if (op == BioOp.Flush)
            categories |= BlktraceCategory.Flush;
        if ((flags & BioFlags.Sync) != 0)
            categories |= BlktraceCategory.Sync;
        if ((flags & BioFlags.ReadAhead) != 0)
            categories |= BlktraceCategory.Ahead;
        if ((flags & BioFlags.Meta) != 0)
            categories |= BlktraceCategory.Meta;
        if ((flags & BioFlags.Preflush) != 0)
            categories |= BlktraceCategory.Flush;
        if ((flags & BioFlags.Fua) != 0)
            categories |= BlktraceCategory.Fua;
        return Compose(action, categories);
    }

    /// <summary>The action field of a notify record.</summary>
    public static uint Notify(BlktraceNotify kind) => (uint)kind | (uint)BlktraceCategory.Notify << CategoryShift;

    /// <summary>The category an action always carries (BLK_TA_* = __BLK_TA_* | BLK_TC_ACT(category)).</summary>
    public static BlktraceCategory FixedCategory(BlockTraceAction action) => action switch
    {
        BlockTraceAction.Requeue => BlktraceCategory.Requeue,
        BlockTraceAction.Issue => BlktraceCategory.Issue,
        BlockTraceAction.Complete => BlktraceCategory.Complete,
        BlockTraceAction.Split or BlockTraceAction.Bounce => BlktraceCategory.None,
        _ => BlktraceCategory.Queue,
    };

    public static ushort Code(uint action) => (ushort)action;

    public static BlktraceCategory Categories(uint action) => (BlktraceCategory)(action >> CategoryShift);

    public static bool IsNotify(uint action) => (Categories(action) & BlktraceCategory.Notify) != 0;

    public static bool IsWrite(uint action) => (Categories(action) & BlktraceCategory.Write) != 0;

    /// <summary>
    /// Recovers the traced action, op and flags from a non-notify action field; false for notify records and for
    /// codes <see cref="BlockTraceAction"/> does not define (driver data). Plug and unplug come back as plain reads.
    /// </summary>
    public static bool TryDecode(uint action, out BlockTraceAction traced, out BioOp op, out BioFlags flags)
    {
        ushort code = Code(action);
        BlktraceCategory categories = Categories(action);
        traced = (BlockTraceAction)code;
        op = BioOp.Read;
        flags = BioFlags.None;
        if ((categories & BlktraceCategory.Notify) != 0 || code == 0 || code > MaxActionCode)
            return false;

        bool flush = (categories & BlktraceCategory.Flush) != 0;
        if ((categories & BlktraceCategory.Discard) != 0)
            op = BioOp.Discard;
        else if ((categories & BlktraceCategory.Write) != 0)
            op = BioOp.Write;
        else if (flush)
            op = BioOp.Flush;

        if (flush && op != BioOp.Flush)
            flags |= BioFlags.Preflush;
        if ((categories & BlktraceCategory.Sync) != 0)
            flags |= BioFlags.Sync;
        if ((categories & BlktraceCategory.Ahead) != 0)
            flags |= BioFlags.ReadAhead;
        if ((categories & BlktraceCategory.Meta) != 0)
            flags |= BioFlags.Meta;
        if ((categories & BlktraceCategory.Fua) != 0)
            flags |= BioFlags.Fua;
        return true;
    }

    /// <summary>
    /// The error field: the kernel stores blk_status_to_errno(), a negative errno, in a u16 (EIO reads back as
    /// 65531 in blkparse's output).
    /// </summary>
    public static ushort EncodeError(Errno error) => unchecked((ushort)(-(int)error));

    public static Errno DecodeError(ushort error) => error == 0 ? Errno.None : (Errno)(-(short)error);

    /// <summary>blkparse's action column: one letter, two for a timer unplug.</summary>
    public static string Letters(BlockTraceAction action) => action switch
    {
        BlockTraceAction.Queue => "Q",
        BlockTraceAction.BackMerge => "M",
        BlockTraceAction.FrontMerge => "F",
        BlockTraceAction.GetRequest => "G",
        BlockTraceAction.SleepRequest => "S",
        BlockTraceAction.Requeue => "R",
        BlockTraceAction.Issue => "D",
        BlockTraceAction.Complete => "C",
        BlockTraceAction.Plug => "P",
        BlockTraceAction.UnplugIo => "U",
        BlockTraceAction.UnplugTimer => "UT",
        BlockTraceAction.Insert => "I",
        BlockTraceAction.Split => "X",
        BlockTraceAction.Bounce => "B",
        BlockTraceAction.Remap => "A",
        BlockTraceAction.Abort => "",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a blktrace action"),
    };

    /// <summary>
    /// blkparse's RWBS column (fill_rwbs): F for a flush, then D (discard), W (write), R (read with data) or N (no
    /// data), then F for FUA, A read-ahead, S sync, M metadata. Returns the number of characters written (at most 6).
    /// </summary>
    public static int FormatRwbs(uint action, uint bytes, Span<char> destination)
    {
        BlktraceCategory categories = Categories(action);
        int length = 0;
        if ((categories & BlktraceCategory.Flush) != 0)
            destination[length++] = 'F';
        if ((categories & BlktraceCategory.Discard) != 0)
            destination[length++] = 'D';
        else if ((categories & BlktraceCategory.Write) != 0)
            destination[length++] = 'W';
        else
            destination[length++] = bytes != 0 ? 'R' : 'N';
        if ((categories & BlktraceCategory.Fua) != 0)
            destination[length++] = 'F';
        if ((categories & BlktraceCategory.Ahead) != 0)
            destination[length++] = 'A';
        if ((categories & BlktraceCategory.Sync) != 0)
            destination[length++] = 'S';
        if ((categories & BlktraceCategory.Meta) != 0)
            destination[length++] = 'M';
        return length;
    }

    public static string Rwbs(uint action, uint bytes)
    {
        Span<char> text = stackalloc char[8];
        return new string(text[..FormatRwbs(action, bytes, text)]);
    }

    private static uint Compose(BlockTraceAction action, BlktraceCategory categories) =>
        (uint)action | (uint)categories << CategoryShift;
}
