namespace Hardware.BlockLayer;

/// <summary>
/// The checks a bio passes before it reaches the queue (Linux's submit_bio_noacct, bio_check_ro, bio_check_eod and
/// the alignment rules of direct I/O), each failure an errno with a message naming the device and the values.
/// </summary>
internal static class BioValidation
{
    public static IoError? Check(BlockDevice device, Bio bio)
    {
        string op = OpName(bio.Op);
        if (bio.Op == BioOp.Flush)
        {
            return bio.SectorCount != 0 || bio.SegmentCount != 0
                ? new IoError(Errno.EINVAL, $"{device.Name}: a flush carries no data, but this one has {bio.SectorCount} sectors in {bio.SegmentCount} segments")
                : null;
        }
        if ((bio.Flags & (BioFlags.Fua | BioFlags.Preflush)) != 0 && bio.Op != BioOp.Write)
            return new IoError(Errno.EINVAL, $"{device.Name}: {bio.Flags & (BioFlags.Fua | BioFlags.Preflush)} applies to writes, not to a {op}");
        if (bio.SectorCount <= 0)
            return new IoError(Errno.EINVAL, $"{device.Name}: zero-length {op} at sector {bio.Sector}");
        if (bio.Op is BioOp.Write or BioOp.Discard && device.ReadOnly)
            return new IoError(Errno.EROFS, $"{device.Name}: {op} of {bio.SectorCount} sectors at sector {bio.Sector} refused: the device is read-only");
        if (bio.Op == BioOp.Discard)
        {
            if (device.Limits.MaxDiscardSectors == 0)
                return new IoError(Errno.EOPNOTSUPP, $"{device.Name}: discard of {bio.SectorCount} sectors at sector {bio.Sector}: the device does not support discard");
            if (bio.SegmentCount != 0)
                return new IoError(Errno.EINVAL, $"{device.Name}: a discard carries no data, but this one has {bio.SegmentCount} segments");
        }
        else if (DataBytes(bio) != bio.Bytes)
        {
            return new IoError(Errno.EINVAL, $"{device.Name}: {op} claims {bio.SectorCount} sectors but its segments hold {DataBytes(bio)} bytes");
        }
        if (bio.Sector < 0)
            return new IoError(Errno.EINVAL, $"{device.Name}: {op} at negative sector {bio.Sector}");
        if (bio.Sector > device.CapacitySectors - bio.SectorCount)
            return new IoError(Errno.EIO,
                $"{device.Name}: {op} of {bio.SectorCount} sectors at sector {bio.Sector} is beyond the end of the device ({device.CapacitySectors} sectors)");
        int block = device.LogicalBlockSize;
        long blockSectors = block / Bio.SectorSize;
        if (bio.Sector % blockSectors != 0 || bio.SectorCount % blockSectors != 0)
            return new IoError(Errno.EINVAL,
                $"{device.Name}: {op} of {bio.SectorCount} sectors at sector {bio.Sector} is not aligned to the {block}-byte logical block");
        foreach (BioSegment segment in bio.Segments)
        {
            if (segment.Length % block != 0)
                return new IoError(Errno.EINVAL,
                    $"{device.Name}: {op} segment of {segment.Length} bytes at 0x{segment.Address:x} is not a multiple of the {block}-byte logical block");
        }
        return null;
    }

    private static long DataBytes(Bio bio)
    {
        long bytes = 0;
        foreach (BioSegment segment in bio.Segments)
            bytes += segment.Length;
        return bytes;
    }

    private static string OpName(BioOp op) => op switch
    {
        BioOp.Read => "read",
        BioOp.Write => "write",
        BioOp.Flush => "flush",
        _ => "discard",
    };
}
