using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Cache;

/// <summary>A process parked on a page (wait_on_page_locked / wait_on_page_writeback); pooled, linked on the page.</summary>
internal sealed class PageWaiter(Simulation simulation)
{
    public SimCompletion<Errno> Completion { get; } = new(simulation);

    public PageWaiter? Next;
}
