using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Tests.Sockets;

/// <summary>What every <see cref="IUnixAddressSpace"/> must do; one small subclass per implementation.</summary>
public abstract class UnixAddressSpaceConformance
{
    private readonly Simulation _sim = new(seed: 2);

    protected abstract IUnixAddressSpace CreateSpace();

    [Fact]
    public void A_bound_address_finds_its_socket()
    {
        IUnixAddressSpace space = CreateSpace();
        var socket = new UnixSocket(_sim);
        Assert.Equal(Errno.None, space.Bind("/run/a.sock", socket));
        Assert.Same(socket, space.Lookup("/run/a.sock"));
        Assert.Null(space.Lookup("/run/b.sock"));
    }

    [Fact]
    public void Binding_a_taken_address_fails_with_EADDRINUSE()
    {
        IUnixAddressSpace space = CreateSpace();
        Assert.Equal(Errno.None, space.Bind("/run/a.sock", new UnixSocket(_sim)));
        Assert.Equal(Errno.EADDRINUSE, space.Bind("/run/a.sock", new UnixSocket(_sim)));
    }

    [Fact]
    public void Only_the_holder_can_release_an_address()
    {
        IUnixAddressSpace space = CreateSpace();
        var holder = new UnixSocket(_sim);
        space.Bind("/run/a.sock", holder);
        space.Unbind("/run/a.sock", new UnixSocket(_sim));
        Assert.Same(holder, space.Lookup("/run/a.sock"));
        space.Unbind("/run/a.sock", holder);
        Assert.Null(space.Lookup("/run/a.sock"));
    }
}

public sealed class InMemoryUnixAddressSpaceTests : UnixAddressSpaceConformance
{
    protected override IUnixAddressSpace CreateSpace() => new InMemoryUnixAddressSpace();
}
