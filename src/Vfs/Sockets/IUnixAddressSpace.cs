using Hardware.BlockLayer;

namespace Hardware.Vfs.Sockets;

/// <summary>
/// Where AF_UNIX addresses live. The VFS implements it with socket inodes at paths (bind creates the inode, connect
/// walks the path); <see cref="InMemoryUnixAddressSpace"/> is a flat table for tests and for an abstract namespace.
/// </summary>
public interface IUnixAddressSpace
{
    /// <summary>Makes <paramref name="address"/> name <paramref name="socket"/>; EADDRINUSE when taken.</summary>
    Errno Bind(string address, UnixSocket socket);

    /// <summary>The socket bound at <paramref name="address"/>, or null.</summary>
    UnixSocket? Lookup(string address);

    /// <summary>Releases <paramref name="address"/> if <paramref name="socket"/> holds it (on close).</summary>
    void Unbind(string address, UnixSocket socket);
}
