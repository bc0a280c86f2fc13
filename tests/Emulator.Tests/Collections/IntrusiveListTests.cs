using Hardware.Emulator.Collections;

namespace Hardware.Emulator.Tests.Collections;

public class IntrusiveListTests
{
    private sealed class Item(string name)
    {
        public ListLinks<Item> Queue;
        public ListLinks<Item> Lru;

        public override string ToString() => name;
    }

    private sealed class QueueList : IntrusiveList<Item, QueueList.QueueLinks>
    {
        public struct QueueLinks : IListLinksAccessor<Item>
        {
            public static ref ListLinks<Item> Links(Item item) => ref item.Queue;
        }

        public override string ToString() => "the queue";
    }

    private sealed class LruList : IntrusiveList<Item, LruList.LruLinks>
    {
        public struct LruLinks : IListLinksAccessor<Item>
        {
            public static ref ListLinks<Item> Links(Item item) => ref item.Lru;
        }
    }

    private static string Names<TLinks>(IntrusiveList<Item, TLinks> list)
        where TLinks : struct, IListLinksAccessor<Item>
    {
        var names = new List<string>();
        for (Item? i = list.First; i is not null; i = IntrusiveList<Item, TLinks>.Next(i))
            names.Add(i.ToString());
        var backwards = new List<string>();
        for (Item? i = list.Last; i is not null; i = IntrusiveList<Item, TLinks>.Previous(i))
            backwards.Insert(0, i.ToString());
        Assert.Equal(names, backwards);
        Assert.Equal(names.Count, list.Count);
        return string.Join(",", names);
    }

    [Fact]
    public void An_item_can_be_on_two_lists_at_once_through_different_links()
    {
        Item a = new("a"), b = new("b"), c = new("c");
        var queue = new QueueList();
        var lru = new LruList();
        queue.AddLast(a);
        queue.AddLast(b);
        queue.AddLast(c);
        lru.AddLast(c);
        lru.AddLast(a);
        lru.MoveToLast(c);

        Assert.Equal("a,b,c", Names(queue));
        Assert.Equal("a,c", Names(lru));
        queue.Remove(a);
        Assert.Equal("b,c", Names(queue));
        Assert.True(lru.Contains(a));
        Assert.False(queue.Contains(a));
    }

    [Fact]
    public void Adding_an_item_already_on_a_list_names_that_list_and_changes_nothing()
    {
        Item a = new("a");
        var queue = new QueueList();
        var other = new QueueList();
        queue.AddLast(a);

        var error = Assert.Throws<InvalidOperationException>(() => other.AddFirst(a));
        Assert.Equal("a is already on the queue", error.Message);
        Assert.True(other.IsEmpty);
        Assert.Equal("a", Names(queue));
    }

    [Fact]
    public void Removing_an_item_from_a_list_it_is_not_on_throws_and_leaves_both_lists_intact()
    {
        Item a = new("a"), b = new("b");
        var queue = new QueueList();
        var other = new QueueList();
        queue.AddLast(a);
        other.AddLast(b);

        Assert.Throws<InvalidOperationException>(() => other.Remove(a));
        Assert.Throws<InvalidOperationException>(() => other.InsertAfter(a, new Item("x")));
        Assert.Equal("a", Names(queue));
        Assert.Equal("b", Names(other));
    }

    [Fact]
    public void Insert_after_the_last_item_moves_the_tail()
    {
        Item a = new("a"), b = new("b"), c = new("c");
        var queue = new QueueList();
        queue.AddLast(a);
        queue.InsertAfter(a, c);
        queue.InsertAfter(a, b);

        Assert.Equal("a,b,c", Names(queue));
        Assert.Same(c, queue.Last);
        Assert.Same(a, queue.RemoveFirst());
        Assert.Equal("b,c", Names(queue));
        Assert.False(a.Queue.IsLinked);
    }

    [Fact]
    public void Enumerating_walks_first_to_last_and_an_empty_list_yields_nothing()
    {
        var queue = new QueueList();
        Assert.Empty(queue);
        queue.AddLast(new Item("b"));
        queue.AddFirst(new Item("a"));
        queue.AddLast(new Item("c"));

        Assert.Equal(["a", "b", "c"], queue.Select(i => i.ToString()));
        Assert.Equal(3, queue.Count);
    }
}
