using Hardware.Vfs.Tests.Core;

namespace Hardware.Vfs.Tests.Conformance;

/// <summary>The POSIX conformance suite on ramfs.</summary>
public sealed class RamFsConformanceTests : FileSystemConformanceTests
{
    private protected override VfsResult MountUnderTest(VfsRig rig, string target, MountFlags flags, long capacityBytes) =>
        rig.Sys.Mount(rig.Root, "ramfs", target, "ramfs", flags, capacityBytes == 0 ? "" : $"size={capacityBytes}");
}
