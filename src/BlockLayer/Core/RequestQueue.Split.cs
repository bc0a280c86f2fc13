using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// Splitting (bio_split_to_limits): a bio beyond MaxSectors, MaxSegments or MaxDiscardSectors is cut into pooled child
// bios that each fit; the parent completes when its last child does.
public sealed partial class RequestQueue
{
    private readonly Dictionary<Bio, SplitParent> _splitChildren;
    private readonly Stack<Bio> _freeChildren = new();
    private readonly Stack<SplitParent> _freeSplitParents = new();

    private void Split(BlockDevice device, Bio bio, long diskSector, BioFlags flags)
    {
        if (!_freeSplitParents.TryPop(out SplitParent? parent))
            parent = new SplitParent();
        parent.Start(bio);
        Statistics.Splits++;
        TraceBio(BlockTraceAction.Split, bio, diskSector);
        if (bio.Op == BioOp.Discard)
            SplitDiscard(device, bio, diskSector, flags, parent);
        else
            SplitData(device, bio, diskSector, flags, parent);
        FinishSplitChild(parent, Errno.None); // the submission guard
    }

    private void SplitDiscard(BlockDevice device, Bio bio, long diskSector, BioFlags flags, SplitParent parent)
    {
        for (long done = 0; done < bio.SectorCount;)
        {
            int count = (int)Math.Min(bio.SectorCount - done, Limits.MaxDiscardSectors);
            Bio child = RentChild(bio, parent, done);
            child.SectorCount = count;
            SubmitPiece(device, child, diskSector + done, flags, 0);
            done += count;
        }
    }

    /// <summary>Cuts a read or write into children within MaxSectors and MaxSegments, cutting a segment where it must (bio_split).</summary>
    private void SplitData(BlockDevice device, Bio bio, long diskSector, BioFlags flags, SplitParent parent)
    {
        long maxBytes = (long)Limits.MaxSectors * Bio.SectorSize;
        int block = Limits.LogicalBlockSize;
        Bio? child = null;
        long childStart = 0;
        long childBytes = 0;
        var counter = new SegmentCounter(Limits.MaxSegmentSize);
        foreach (BioSegment segment in bio.Segments)
        {
            long done = 0;
            while (done < segment.Length)
            {
                ulong address = segment.Address + (ulong)done;
                long take = counter.Fit(address, Math.Min(segment.Length - done, maxBytes - childBytes), Limits.MaxSegments, block);
                if (take == 0)
                {
                    SubmitPiece(device, child!, diskSector + childStart, flags, counter.Count);
                    childStart += childBytes / Bio.SectorSize;
                    child = null;
                    childBytes = 0;
                    counter = new SegmentCounter(Limits.MaxSegmentSize);
                    continue;
                }
                child ??= RentChild(bio, parent, childStart);
                child.AddSegment(new BioSegment(address, (int)take));
                counter.Add(address, take);
                childBytes += take;
                done += take;
                if (childBytes == maxBytes)
                {
                    SubmitPiece(device, child, diskSector + childStart, flags, counter.Count);
                    childStart += childBytes / Bio.SectorSize;
                    child = null;
                    childBytes = 0;
                    counter = new SegmentCounter(Limits.MaxSegmentSize);
                }
            }
        }
        if (child is not null)
            SubmitPiece(device, child, diskSector + childStart, flags, counter.Count);
    }

    /// <summary>A pooled bio for the piece of <paramref name="parent"/> starting <paramref name="offset"/> sectors in; it carries all the parent's flags, as bio_split's clones do.</summary>
    private Bio RentChild(Bio bio, SplitParent parent, long offset)
    {
        if (!_freeChildren.TryPop(out Bio? child))
            child = new Bio(Simulation);
        child.Reset(bio.Op, bio.Sector + offset, bio.Flags, bio.ProcessId);
        parent.Pending++;
        _splitChildren.Add(child, parent);
        return child;
    }

    private void FinishSplitChild(SplitParent parent, Errno status)
    {
        if (!parent.ChildDone(status))
            return;
        Bio bio = parent.Bio!;
        Errno result = parent.Status;
        parent.Bio = null;
        _freeSplitParents.Push(parent);
        bio.Complete(result);
    }
}
