using Hardware.BlockLayer;
using Hardware.Emulator.Collections;

namespace Hardware.Vfs;

/// <summary>
/// The dentry cache (dcache): children found by name in their parent (a span lookup, so a hit allocates nothing),
/// positive and negative entries, bounded by <see cref="Capacity"/>. Every cached non-root dentry is on an LRU list
/// ordered by last use; when the cache is over capacity the oldest unused leaves (no holders, no cached children,
/// not a mount point) are evicted. Directory contents live in the filesystem, so eviction only costs a lookup.
/// </summary>
public sealed class DentryCache
{
    /// <summary>Default bound: 4096 dentries.</summary>
    public const int DefaultCapacity = 4096;

    private readonly DentryLru _lru = new();

    public DentryCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; set; }

    /// <summary>Cached dentries other than filesystem roots.</summary>
    public int Count { get; private set; }

    public long Hits { get; private set; }

    public long NegativeHits { get; private set; }

    public long Misses { get; private set; }

    public long Evictions { get; private set; }

    /// <summary>A filesystem's root dentry (not counted, never evicted: the superblock holds it).</summary>
    public static Dentry CreateRoot(Inode root) => new("/", null, root, root.SuperBlock) { ReferenceCount = 1 };

    /// <summary>
    /// The child named <paramref name="name"/> of <paramref name="parent"/> when the cache holds it (positive or
    /// negative); the walk's fast path, which never touches the filesystem.
    /// </summary>
    public bool TryGetCached(Dentry parent, ReadOnlySpan<char> name, out Dentry dentry)
    {
        if (parent.Children is { } children && children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out Dentry? cached))
        {
            if (cached.IsNegative)
                NegativeHits++;
            else
                Hits++;
            Touch(cached);
            dentry = cached;
            return true;
        }
        dentry = null!;
        return false;
    }

    /// <summary>
    /// The child named <paramref name="name"/> of <paramref name="parent"/>: from the cache, else asked of the
    /// filesystem (which may read the disk) and cached, negative if absent. A filesystem error is not cached.
    /// </summary>
    public ValueTask<VfsResult<Dentry>> LookupAsync(Dentry parent, string name) =>
        TryGetCached(parent, name, out Dentry cached) ? new(VfsResult<Dentry>.Success(cached)) : LookupMissAsync(parent, name);

    private async ValueTask<VfsResult<Dentry>> LookupMissAsync(Dentry parent, string name)
    {
        Misses++;
        Inode directory = parent.Inode!;
        (Inode? inode, Errno error) = await directory.Operations.LookupAsync(directory, name);
        if (error != Errno.None)
            return VfsResult<Dentry>.Fail(error, directory.SuperBlock.Describe(error, $"looking up {name} in {parent.FullName} failed"));
        // Another process may have cached the name while this one waited for the disk.
        if (TryGetCached(parent, name, out Dentry raced))
            return VfsResult<Dentry>.Success(raced);
        return VfsResult<Dentry>.Success(Add(parent, name, inode));
    }

    /// <summary>Caches <paramref name="name"/> under <paramref name="parent"/> (replacing what was there) and evicts if over capacity.</summary>
    public Dentry Add(Dentry parent, string name, Inode? inode)
    {
        parent.Children ??= new Dictionary<string, Dentry>(StringComparer.Ordinal);
        if (parent.Children.TryGetValue(name, out Dentry? existing))
        {
            existing.Inode = inode;
            Touch(existing);
            return existing;
        }
        var dentry = new Dentry(name, parent, inode, parent.SuperBlock);
        parent.Children.Add(name, dentry);
        Count++;
        AddTail(dentry);
        Shrink();
        return dentry;
    }

    /// <summary>
    /// A dentry that is never hashed (d_alloc_pseudo): names an inode with no directory entry - a pipe end, a socket
    /// from socketpair - so it can be opened as a file. Not counted and never evicted.
    /// </summary>
    public static Dentry CreateAnonymous(Dentry parent, string name, Inode inode) =>
        new(name, parent, inode, parent.SuperBlock) { IsUnhashed = true };

    /// <summary>
    /// After unlink or rmdir: an unused entry turns negative (the name is known absent); one still held (an open file)
    /// is unhashed so its holder keeps the inode while new lookups miss (d_delete).
    /// </summary>
    public void Delete(Dentry dentry)
    {
        if (dentry.ReferenceCount == 0 && dentry.CachedChildren == 0)
        {
            dentry.Inode = null;
            return;
        }
        Unhash(dentry);
    }

    /// <summary>Removes the entry from its parent's children so lookups no longer see it.</summary>
    public void Unhash(Dentry dentry)
    {
        if (dentry.IsUnhashed || dentry.Parent is null)
            return;
        dentry.Parent.Children!.Remove(dentry.Name);
        dentry.IsUnhashed = true;
        Count--;
        RemoveFromLru(dentry);
    }

    /// <summary>
    /// Rename (d_move): the entry moves to <paramref name="newParent"/> under <paramref name="newName"/>, and whatever was
    /// cached there is deleted.
    /// </summary>
    public void Move(Dentry dentry, Dentry newParent, string newName)
    {
        newParent.Children ??= new Dictionary<string, Dentry>(StringComparer.Ordinal);
        if (newParent.Children.TryGetValue(newName, out Dentry? target) && target != dentry)
        {
            if (target.ReferenceCount == 0 && target.CachedChildren == 0 && target.MountCount == 0)
            {
                Unhash(target);
            }
            else
            {
                newParent.Children.Remove(newName);
                target.IsUnhashed = true;
                Count--;
                RemoveFromLru(target);
            }
        }
        dentry.Parent!.Children!.Remove(dentry.Name);
        dentry.Parent = newParent;
        dentry.Name = newName;
        newParent.Children[newName] = dentry;
        Touch(dentry);
    }

    /// <summary>Forgets every cached child of <paramref name="root"/>'s tree (a superblock going away).</summary>
    public void Prune(Dentry root)
    {
        if (root.Children is null)
            return;
        foreach (Dentry child in root.Children.Values.ToArray())
        {
            Prune(child);
            root.Children.Remove(child.Name);
            child.IsUnhashed = true;
            Count--;
            RemoveFromLru(child);
        }
    }

    public void Get(Dentry dentry) => dentry.ReferenceCount++;

    public void Put(Dentry dentry)
    {
        if (dentry.ReferenceCount <= 0)
            throw new InvalidOperationException($"{dentry} released more often than taken");
        dentry.ReferenceCount--;
    }

    /// <summary>Evicts unused leaves from the old end of the LRU until the cache is within capacity (prune_dcache).</summary>
    public void Shrink()
    {
        Dentry? candidate = _lru.First;
        while (Count > Capacity && candidate is not null)
        {
            Dentry? next = DentryLru.Next(candidate);
            if (candidate.ReferenceCount == 0 && candidate.CachedChildren == 0 && candidate.MountCount == 0)
            {
                Unhash(candidate);
                Evictions++;
            }
            candidate = next;
        }
    }

    private void Touch(Dentry dentry)
    {
        if (_lru.Contains(dentry) && dentry != _lru.Last)
            _lru.MoveToLast(dentry);
    }

    private void AddTail(Dentry dentry) => _lru.AddLast(dentry);

    private void RemoveFromLru(Dentry dentry)
    {
        if (_lru.Contains(dentry))
            _lru.Remove(dentry);
    }

    /// <summary>Unused-first order of cached dentries (the superblock's s_dentry_lru).</summary>
    private sealed class DentryLru : IntrusiveList<Dentry, DentryLru.LruLinks>
    {
        public struct LruLinks : IListLinksAccessor<Dentry>
        {
            public static ref ListLinks<Dentry> Links(Dentry item) => ref item.Lru;
        }
    }

    public override string ToString() => $"dcache {Count}/{Capacity}: {Hits} hits, {NegativeHits} negative hits, {Misses} misses, {Evictions} evictions";
}
