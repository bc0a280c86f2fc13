using Hardware.Vfs.Tests.Ext2.Interop;

namespace Hardware.Vfs.Tests.Ext2.Runs;

/// <summary>A theory that needs the Linux kernel to mount a raw image: skipped for the same reason as <see cref="KernelMountFactAttribute"/>.</summary>
public sealed class KernelMountTheoryAttribute : TheoryAttribute
{
    public KernelMountTheoryAttribute() => Skip = new KernelMountFactAttribute().Skip;
}
