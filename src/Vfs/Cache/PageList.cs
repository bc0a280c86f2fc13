using Hardware.Emulator.Collections;

namespace Hardware.Vfs.Cache;

/// <summary>One of the page cache's LRU lists (active or inactive), oldest at the head; never allocates.</summary>
internal sealed class PageList(string name) : IntrusiveList<CachePage, PageList.LruLinks>
{
    public string Name { get; } = name;

    public override string ToString() => $"the {Name} list";

    public struct LruLinks : IListLinksAccessor<CachePage>
    {
        public static ref ListLinks<CachePage> Links(CachePage item) => ref item.Lru;
    }
}
