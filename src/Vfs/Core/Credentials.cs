namespace Hardware.Vfs;

/// <summary>Who a process acts as (struct cred): user, primary group and supplementary groups.</summary>
public sealed record Credentials(int Uid, int Gid, IReadOnlyList<int> Groups)
{
    public static Credentials Root { get; } = new(0, 0, []);

    public static Credentials User(int uid, int gid, params int[] groups) => new(uid, gid, groups);

    public bool IsRoot => Uid == 0;

    public bool InGroup(int gid)
    {
        if (gid == Gid)
            return true;
        for (int i = 0; i < Groups.Count; i++)
        {
            if (Groups[i] == gid)
                return true;
        }
        return false;
    }

    public override string ToString() => $"uid {Uid} gid {Gid}";
}
