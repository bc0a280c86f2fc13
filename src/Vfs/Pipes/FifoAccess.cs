namespace Hardware.Vfs.Pipes;

/// <summary>The access mode a FIFO is opened with (O_RDONLY, O_WRONLY, O_RDWR).</summary>
public enum FifoAccess
{
    ReadOnly,
    WriteOnly,
    ReadWrite,
}
