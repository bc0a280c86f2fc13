namespace Hardware.Vfs;

/// <summary>
/// The VFS side of a simulated process: its id, credentials, umask, root and working directory (struct fs_struct)
/// and its descriptor table.
/// </summary>
public sealed class Process
{
    internal Process(int id, Credentials credentials, VfsPath root, VfsPath workingDirectory, int descriptorLimit)
    {
        Id = id;
        Credentials = credentials;
        Root = root;
        WorkingDirectory = workingDirectory;
        Files = new FileDescriptorTable(descriptorLimit);
    }

    /// <summary>The pid (also the process id in the block trace).</summary>
    public int Id { get; }

    public Credentials Credentials { get; set; }

    /// <summary>The file mode creation mask (022 by default).</summary>
    public int Umask { get; set; } = 0x12;

    public VfsPath Root { get; internal set; }

    public VfsPath WorkingDirectory { get; internal set; }

    public FileDescriptorTable Files { get; }

    public override string ToString() => $"process {Id} ({Credentials})";
}
