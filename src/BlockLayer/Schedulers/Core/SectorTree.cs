namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Requests ordered by start sector (Linux's per-direction rbtree of an elevator), as a treap over pooled node
/// arrays: a request's node index lives in <see cref="Request.ElevatorIndex"/>, freed nodes are reused, and the
/// arrays only grow (doubling) until the tree has seen its largest population, so steady-state inserts and
/// removals allocate nothing. Requests with equal sectors keep their insertion order.
/// </summary>
public sealed class SectorTree
{
    private const int Nil = -1;

    private long[] _key;
    private int[] _left;
    private int[] _right;
    private int[] _parent;
    private uint[] _priority;
    private Request?[] _item;
    private int _root = Nil;
    private int _freeHead = Nil;
    private int _used;
    private uint _random;

    public SectorTree(int initialCapacity = 64)
    {
        int capacity = Math.Max(4, initialCapacity);
        _key = new long[capacity];
        _left = new int[capacity];
        _right = new int[capacity];
        _parent = new int[capacity];
        _priority = new uint[capacity];
        _item = new Request?[capacity];
        // A fixed seed: the tree's shape is part of no observable behaviour, but runs stay bit-identical.
        _random = 0x9E3779B9u;
    }

    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>Adds a request keyed by its current <see cref="Request.Sector"/>; after equal keys already present.</summary>
    public void Add(Request request)
    {
        int node = AllocateNode();
        long key = request.Sector;
        _key[node] = key;
        _item[node] = request;
        _left[node] = Nil;
        _right[node] = Nil;
        _priority[node] = NextPriority();
        request.ElevatorIndex = node;

        int parent = Nil;
        int current = _root;
        bool goLeft = false;
        while (current != Nil)
        {
            parent = current;
            goLeft = key < _key[current];
            current = goLeft ? _left[current] : _right[current];
        }
        _parent[node] = parent;
        if (parent == Nil)
            _root = node;
        else if (goLeft)
            _left[parent] = node;
        else
            _right[parent] = node;

        while (_parent[node] != Nil && _priority[node] < _priority[_parent[node]])
        {
            int p = _parent[node];
            if (_left[p] == node)
                RotateRight(p);
            else
                RotateLeft(p);
        }
        Count++;
    }

    /// <summary>Removes a request that is in this tree (found through its <see cref="Request.ElevatorIndex"/>).</summary>
    public void Remove(Request request)
    {
        int node = request.ElevatorIndex;
        if ((uint)node >= (uint)_used || !ReferenceEquals(_item[node], request))
            throw new InvalidOperationException($"request {request} is not in this sector tree");

        while (_left[node] != Nil && _right[node] != Nil)
        {
            if (_priority[_left[node]] < _priority[_right[node]])
                RotateRight(node);
            else
                RotateLeft(node);
        }
        int child = _left[node] != Nil ? _left[node] : _right[node];
        int parent = _parent[node];
        if (child != Nil)
            _parent[child] = parent;
        ReplaceChild(parent, node, child);

        _item[node] = null;
        _left[node] = _freeHead;
        _freeHead = node;
        request.ElevatorIndex = -1;
        Count--;
    }

    public Request? First => _root == Nil ? null : _item[Leftmost(_root)];

    public Request? Last => _root == Nil ? null : _item[Rightmost(_root)];

    /// <summary>The first request (in order) whose sector is at least <paramref name="sector"/>.</summary>
    public Request? Ceiling(long sector)
    {
        int best = Nil;
        for (int n = _root; n != Nil;)
        {
            if (_key[n] >= sector)
            {
                best = n;
                n = _left[n];
            }
            else
            {
                n = _right[n];
            }
        }
        return best == Nil ? null : _item[best];
    }

    /// <summary>The last request (in order) whose sector is at most <paramref name="sector"/>.</summary>
    public Request? Floor(long sector)
    {
        int best = Nil;
        for (int n = _root; n != Nil;)
        {
            if (_key[n] <= sector)
            {
                best = n;
                n = _right[n];
            }
            else
            {
                n = _left[n];
            }
        }
        return best == Nil ? null : _item[best];
    }

    /// <summary>The last request whose sector is below <paramref name="sector"/>.</summary>
    public Request? Lower(long sector)
    {
        int best = Nil;
        for (int n = _root; n != Nil;)
        {
            if (_key[n] < sector)
            {
                best = n;
                n = _right[n];
            }
            else
            {
                n = _left[n];
            }
        }
        return best == Nil ? null : _item[best];
    }

    /// <summary>The request after <paramref name="request"/> in sector order, or null.</summary>
    public Request? Next(Request request)
    {
        int n = request.ElevatorIndex;
        if (_right[n] != Nil)
            return _item[Leftmost(_right[n])];
        int p = _parent[n];
        while (p != Nil && _right[p] == n)
        {
            n = p;
            p = _parent[p];
        }
        return p == Nil ? null : _item[p];
    }

    /// <summary>The request before <paramref name="request"/> in sector order, or null.</summary>
    public Request? Previous(Request request)
    {
        int n = request.ElevatorIndex;
        if (_left[n] != Nil)
            return _item[Rightmost(_left[n])];
        int p = _parent[n];
        while (p != Nil && _left[p] == n)
        {
            n = p;
            p = _parent[p];
        }
        return p == Nil ? null : _item[p];
    }

    /// <summary>
    /// Checks the structure (search order by the stored keys, heap order of priorities, parent links, count);
    /// returns a description of the first fault or null. For tests.
    /// </summary>
    public string? Verify()
    {
        if (_root != Nil && _parent[_root] != Nil)
            return "root has a parent";
        int counted = 0;
        string? fault = VerifyNode(_root, long.MinValue, long.MaxValue, ref counted);
        if (fault is not null)
            return fault;
        return counted == Count ? null : $"tree holds {counted} nodes but counts {Count}";
    }

    private string? VerifyNode(int node, long low, long high, ref int counted)
    {
        if (node == Nil)
            return null;
        counted++;
        long key = _key[node];
        if (key < low || key > high)
            return $"node {node} key {key} outside [{low}, {high}]";
        Request? item = _item[node];
        if (item is null || item.ElevatorIndex != node)
            return $"node {node} does not point back at its request";
        foreach (int child in (ReadOnlySpan<int>)[_left[node], _right[node]])
        {
            if (child == Nil)
                continue;
            if (_parent[child] != node)
                return $"node {child} has the wrong parent";
            if (_priority[child] < _priority[node])
                return $"node {child} breaks heap order";
        }
        return VerifyNode(_left[node], low, key, ref counted) ?? VerifyNode(_right[node], key, high, ref counted);
    }

    private int AllocateNode()
    {
        if (_freeHead != Nil)
        {
            int reused = _freeHead;
            _freeHead = _left[reused];
            return reused;
        }
        if (_used == _key.Length)
            Grow();
        return _used++;
    }

    private void Grow()
    {
        int capacity = _key.Length * 2;
        Array.Resize(ref _key, capacity);
        Array.Resize(ref _left, capacity);
        Array.Resize(ref _right, capacity);
        Array.Resize(ref _parent, capacity);
        Array.Resize(ref _priority, capacity);
        Array.Resize(ref _item, capacity);
    }

    private uint NextPriority()
    {
        // xorshift32: cheap, deterministic, good enough to keep the treap balanced in expectation.
        uint x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _random = x;
        return x;
    }

    private int Leftmost(int node)
    {
        while (_left[node] != Nil)
            node = _left[node];
        return node;
    }

    private int Rightmost(int node)
    {
        while (_right[node] != Nil)
            node = _right[node];
        return node;
    }

    private void ReplaceChild(int parent, int oldChild, int newChild)
    {
        if (parent == Nil)
            _root = newChild;
        else if (_left[parent] == oldChild)
            _left[parent] = newChild;
        else
            _right[parent] = newChild;
    }

    /// <summary>The right child of <paramref name="x"/> takes its place; <paramref name="x"/> becomes its left child.</summary>
    private void RotateLeft(int x)
    {
        int y = _right[x];
        int parent = _parent[x];
        _right[x] = _left[y];
        if (_left[y] != Nil)
            _parent[_left[y]] = x;
        _left[y] = x;
        _parent[x] = y;
        _parent[y] = parent;
        ReplaceChild(parent, x, y);
    }

    /// <summary>The left child of <paramref name="x"/> takes its place; <paramref name="x"/> becomes its right child.</summary>
    private void RotateRight(int x)
    {
        int y = _left[x];
        int parent = _parent[x];
        _left[x] = _right[y];
        if (_right[y] != Nil)
            _parent[_right[y]] = x;
        _right[y] = x;
        _parent[x] = y;
        _parent[y] = parent;
        ReplaceChild(parent, x, y);
    }
}
