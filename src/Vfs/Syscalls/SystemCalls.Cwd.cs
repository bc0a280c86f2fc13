using System.Text;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>
    /// getcwd(2): the working directory's path from the process root, climbing through mount points; ENOENT when the
    /// directory was removed.
    /// </summary>
    public VfsResult<string> Getcwd(Process process)
    {
        VfsPath path = process.WorkingDirectory;
        if (path.Dentry.IsUnhashed || path.Inode is null || path.Inode.LinkCount == 0)
            return VfsResult<string>.Fail(Errno.ENOENT, "getcwd: the working directory was removed");
        var names = new List<string>();
        while (!(path.Mount == process.Root.Mount && path.Dentry == process.Root.Dentry))
        {
            if (path.Dentry == path.Mount.Root)
            {
                if (path.Mount.Parent is null)
                    break;
                path = new VfsPath(path.Mount.Parent, path.Mount.MountPoint!);
                continue;
            }
            names.Add(path.Dentry.Name);
            path = new VfsPath(path.Mount, path.Dentry.Parent!);
        }
        if (names.Count == 0)
            return VfsResult<string>.Success("/");
        var text = new StringBuilder();
        for (int i = names.Count - 1; i >= 0; i--)
            text.Append('/').Append(names[i]);
        return VfsResult<string>.Success(text.ToString());
    }
}
