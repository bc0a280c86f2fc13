namespace Hardware.Emulator.Platform;

/// <summary>
/// One device's connection to a level-triggered interrupt input. Several devices may share an input: each holds
/// its own <see cref="InterruptLine"/>, and the input is asserted while any of them is (wired-OR).
/// </summary>
public sealed class InterruptLine
{
    private readonly InterruptController _controller;

    internal InterruptLine(InterruptController controller, int irq)
    {
        _controller = controller;
        Irq = irq;
    }

    public int Irq { get; }

    /// <summary>This source's own level.</summary>
    public bool IsRaised { get; private set; }

    public void SetLevel(bool raised)
    {
        if (raised == IsRaised)
            return;
        IsRaised = raised;
        _controller.OnSourceLevelChanged(Irq, raised);
    }

    public void Raise() => SetLevel(true);

    public void Lower() => SetLevel(false);
}
