namespace Hardware.BlockLayer;

/// <summary>
/// The driver tags (blk-mq's driver tag bitmap): a tag per request at the device, lowest free tag first, and the
/// owner of each tag so a completing request is found without a search.
/// </summary>
internal sealed class TagSet
{
    private readonly int[] _free;
    private readonly RequestContext?[] _owners;
    private int _freeCount;

    public TagSet(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _free = new int[depth];
        _owners = new RequestContext?[depth];
        for (int i = 0; i < depth; i++)
            _free[i] = depth - 1 - i; // popped from the end: tag 0 first
        _freeCount = depth;
    }

    public int Depth => _owners.Length;

    public int InUse => _owners.Length - _freeCount;

    public bool HasFree => _freeCount > 0;

    public int Take(RequestContext owner)
    {
        if (_freeCount == 0)
            throw new InvalidOperationException("no free driver tag");
        int tag = _free[--_freeCount];
        _owners[tag] = owner;
        return tag;
    }

    public void Release(int tag)
    {
        if (_owners[tag] is null)
            throw new InvalidOperationException($"tag {tag} released twice");
        _owners[tag] = null;
        _free[_freeCount++] = tag;
    }

    public RequestContext? Owner(int tag) => (uint)tag < (uint)_owners.Length ? _owners[tag] : null;
}
