namespace Hardware.BlockLayer;

/// <summary>
/// A bio the queue split to fit the limits (bio_split + bio_chain): it completes when its last child does, with the
/// first error any child reported. Pooled by the queue.
/// </summary>
internal sealed class SplitParent
{
    public Bio? Bio;

    /// <summary>Children not yet complete, plus one held while the children are being submitted.</summary>
    public int Pending;

    public Errno Status;

    public void Start(Bio bio)
    {
        Bio = bio;
        Pending = 1;
        Status = Errno.None;
    }

    /// <summary>Counts one child (or the submission guard) done; true when the parent is complete.</summary>
    public bool ChildDone(Errno status)
    {
        if (Status == Errno.None)
            Status = status;
        return --Pending == 0;
    }
}
