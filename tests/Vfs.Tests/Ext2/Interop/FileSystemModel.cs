using Hardware.BlockLayer;

namespace Hardware.Vfs.Tests.Ext2.Interop;

/// <summary>
/// The in-memory model of a directory tree the model-based test checks ext2 against: paths name nodes, hard links
/// share one file node, and each operation returns the errno POSIX (and the VFS) gives for it.
/// </summary>
internal sealed class FileSystemModel
{
    public abstract class Node;

    public sealed class FileNode : Node
    {
        public byte[] Data = [];
        public int Links = 1;
    }

    public sealed class DirectoryNode : Node;

    public sealed class SymlinkNode(string target) : Node
    {
        public string Target { get; } = target;
    }

    /// <summary>Every path ("/" is the root), by full path.</summary>
    public SortedDictionary<string, Node> Paths { get; } = new(StringComparer.Ordinal) { ["/"] = new DirectoryNode() };

    public static string Parent(string path) => path.LastIndexOf('/') is 0 ? "/" : path[..path.LastIndexOf('/')];

    public static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    public IEnumerable<string> Children(string directory) =>
        Paths.Keys.Where(path => path != "/" && Parent(path) == directory);

    public int LinkCount(string path) => Paths[path] switch
    {
        FileNode file => file.Links,
        DirectoryNode => 2 + Children(path).Count(child => Paths[child] is DirectoryNode),
        _ => 1,
    };

    public Errno Create(string path)
    {
        if (Paths.ContainsKey(path))
            return Errno.EEXIST;
        Paths[path] = new FileNode();
        return Errno.None;
    }

    public Errno Mkdir(string path)
    {
        if (Paths.ContainsKey(path))
            return Errno.EEXIST;
        Paths[path] = new DirectoryNode();
        return Errno.None;
    }

    public Errno Symlink(string target, string path)
    {
        if (Paths.ContainsKey(path))
            return Errno.EEXIST;
        Paths[path] = new SymlinkNode(target);
        return Errno.None;
    }

    public Errno Link(string existing, string path)
    {
        if (Paths[existing] is DirectoryNode)
            return Errno.EPERM;
        if (Paths.ContainsKey(path))
            return Errno.EEXIST;
        if (Paths[existing] is FileNode file)
            file.Links++;
        Paths[path] = Paths[existing];
        return Errno.None;
    }

    public Errno Unlink(string path)
    {
        if (Paths[path] is DirectoryNode)
            return Errno.EISDIR;
        if (Paths[path] is FileNode file)
            file.Links--;
        Paths.Remove(path);
        return Errno.None;
    }

    public Errno Rmdir(string path)
    {
        if (Paths[path] is not DirectoryNode)
            return Errno.ENOTDIR;
        if (Children(path).Any())
            return Errno.ENOTEMPTY;
        Paths.Remove(path);
        return Errno.None;
    }

    public Errno Rename(string from, string to)
    {
        Node moving = Paths[from];
        if (Paths.TryGetValue(to, out Node? replaced))
        {
            if (ReferenceEquals(replaced, moving))
                return Errno.None;
            if (moving is DirectoryNode && replaced is not DirectoryNode)
                return Errno.ENOTDIR;
            if (moving is not DirectoryNode && replaced is DirectoryNode)
                return Errno.EISDIR;
            if (replaced is DirectoryNode && Children(to).Any())
                return Errno.ENOTEMPTY;
            if (replaced is FileNode file)
                file.Links--;
            Paths.Remove(to);
        }
        foreach (string path in Paths.Keys.Where(p => p == from || p.StartsWith(from + "/", StringComparison.Ordinal)).ToArray())
        {
            Node node = Paths[path];
            Paths.Remove(path);
            Paths[to + path[from.Length..]] = node;
        }
        return Errno.None;
    }

    public void Write(string path, long offset, byte[] bytes)
    {
        var file = (FileNode)Paths[path];
        if (offset + bytes.Length > file.Data.Length)
            Array.Resize(ref file.Data, (int)(offset + bytes.Length));
        bytes.CopyTo(file.Data, offset);
    }

    public void Truncate(string path, int size)
    {
        var file = (FileNode)Paths[path];
        Array.Resize(ref file.Data, size);
    }
}
