namespace Hardware.Vfs.Ext2;

/// <summary>s_feature_compat: features an implementation that does not know them may still read and write.</summary>
[Flags]
public enum Ext2CompatFeatures : uint
{
    None = 0,
    DirPrealloc = 0x0001,
    ImagicInodes = 0x0002,
    HasJournal = 0x0004,
    ExtAttr = 0x0008,
    ResizeInode = 0x0010,
    DirIndex = 0x0020,
}

/// <summary>s_feature_incompat: features an implementation must understand to mount at all.</summary>
[Flags]
public enum Ext2IncompatFeatures : uint
{
    None = 0,
    Compression = 0x0001,
    FileType = 0x0002,
    Recover = 0x0004,
    JournalDev = 0x0008,
    MetaBg = 0x0010,
}

/// <summary>s_feature_ro_compat: features an implementation that does not know them may only read.</summary>
[Flags]
public enum Ext2RoCompatFeatures : uint
{
    None = 0,
    SparseSuper = 0x0001,
    LargeFile = 0x0002,
    BtreeDir = 0x0004,
}

/// <summary>What this implementation understands, and the names e2fsprogs prints for each known bit.</summary>
public static class Ext2FeatureSupport
{
    public const Ext2IncompatFeatures Incompat = Ext2IncompatFeatures.FileType;

    public const Ext2RoCompatFeatures RoCompat = Ext2RoCompatFeatures.SparseSuper | Ext2RoCompatFeatures.LargeFile;

    /// <summary>The e2fsprogs name of an incompat bit ("FEATURE_I7" style for bits without a name).</summary>
    public static string IncompatName(uint bit) => bit switch
    {
        0x0001 => "compression",
        0x0002 => "filetype",
        0x0004 => "needs_recovery",
        0x0008 => "journal_dev",
        0x0010 => "meta_bg",
        0x0040 => "extent",
        0x0080 => "64bit",
        0x0100 => "mmp",
        0x0200 => "flex_bg",
        0x0400 => "ea_inode",
        0x1000 => "dirdata",
        0x2000 => "metadata_csum_seed",
        0x4000 => "large_dir",
        0x8000 => "inline_data",
        0x10000 => "encrypt",
        0x20000 => "casefold",
        _ => $"FEATURE_I{BitIndex(bit)}",
    };

    public static string RoCompatName(uint bit) => bit switch
    {
        0x0001 => "sparse_super",
        0x0002 => "large_file",
        0x0004 => "btree_dir",
        0x0008 => "huge_file",
        0x0010 => "uninit_bg",
        0x0020 => "dir_nlink",
        0x0040 => "extra_isize",
        0x0100 => "quota",
        0x0200 => "bigalloc",
        0x0400 => "metadata_csum",
        _ => $"FEATURE_R{BitIndex(bit)}",
    };

    /// <summary>The names of the set bits of <paramref name="bits"/>, space separated.</summary>
    public static string Names(uint bits, Func<uint, string> name)
    {
        var names = new List<string>();
        for (int i = 0; i < 32; i++)
        {
            uint bit = 1u << i;
            if ((bits & bit) != 0)
                names.Add(name(bit));
        }
        return string.Join(" ", names);
    }

    private static int BitIndex(uint bit) => System.Numerics.BitOperations.TrailingZeroCount(bit);
}
