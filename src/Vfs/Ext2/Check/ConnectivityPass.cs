namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// Pass 3 (connectivity: every directory reachable from the root through the entries pass 2 found, and its '..'
/// naming that parent) and pass 4 (every in-use inode's i_links_count equals the references counted, and none is
/// unreferenced).
/// </summary>
internal static class ConnectivityPass
{
    public static void CheckConnectivity(CheckState state)
    {
        CheckInode[] inodes = state.Inodes;
        const uint Root = Ext2Volume.RootInode;
        if (!inodes[Root].IsDirectory)
        {
            state.Problem($"inode {Root}: no root directory");
            return;
        }
        inodes[Root].Parent = Root;
        // Directories already known to reach the root; the walk up from any other stops at one of them or at a loop.
        var connected = new CheckBitSet(inodes.Length);
        connected.Add(Root);
        var path = new List<uint>();
        for (uint number = 1; number < inodes.Length; number++)
        {
            if (!inodes[number].IsDirectory || connected[number])
                continue;
            path.Clear();
            var onPath = new HashSet<uint>();
            uint current = number;
            bool reached = false;
            while (current != 0 && inodes[current].IsDirectory && onPath.Add(current))
            {
                if (connected[current])
                {
                    reached = true;
                    break;
                }
                path.Add(current);
                current = inodes[current].Parent;
            }
            if (reached)
            {
                foreach (uint directory in path)
                    connected.Add(directory);
            }
            else
            {
                state.Problem($"directory inode {number}: unconnected (no path to the root; '..' names {inodes[number].DotDot})");
                foreach (uint directory in path)
                    connected.Add(directory);
            }
        }
        for (uint number = 1; number < inodes.Length; number++)
        {
            ref CheckInode directory = ref inodes[number];
            if (!directory.IsDirectory)
                continue;
            if (directory.DotDot != 0 && directory.Parent != 0 && directory.DotDot != directory.Parent)
                state.Problem($"directory inode {number}: '..' names inode {directory.DotDot}, but its parent is inode {directory.Parent}");
            uint dotDot = directory.DotDot;
            if (dotDot != 0 && dotDot < inodes.Length && inodes[dotDot].Used)
                inodes[dotDot].Counted++;
        }
    }

    public static void CheckLinkCounts(CheckState state)
    {
        CheckInode[] inodes = state.Inodes;
        for (uint number = 1; number < inodes.Length; number++)
        {
            CheckInode inode = inodes[number];
            if (!inode.Used || (number < state.FirstInode && number != Ext2Volume.RootInode))
                continue;
            if (inode.Counted == 0)
                state.Problem($"inode {number}: in use (i_links_count {inode.Links}, mode {Convert.ToString(inode.Mode, 8)}) but no directory entry names it");
            else if (inode.Counted != inode.Links)
                state.Problem($"inode {number}: i_links_count is {inode.Links}, counted {inode.Counted}");
        }
    }
}
