using Hardware.BlockLayer;

namespace Hardware.Vfs.Sockets;

/// <summary>A flat in-memory table of bound addresses (ordinal string keys); an address is free again once its socket closes.</summary>
public sealed class InMemoryUnixAddressSpace : IUnixAddressSpace
{
    private readonly Dictionary<string, UnixSocket> _bound = new(StringComparer.Ordinal);

    public int Count => _bound.Count;

    public Errno Bind(string address, UnixSocket socket)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(socket);
        return _bound.TryAdd(address, socket) ? Errno.None : Errno.EADDRINUSE;
    }

    public UnixSocket? Lookup(string address) => _bound.GetValueOrDefault(address);

    public void Unbind(string address, UnixSocket socket)
    {
        if (_bound.TryGetValue(address, out UnixSocket? holder) && ReferenceEquals(holder, socket))
            _bound.Remove(address);
    }
}
