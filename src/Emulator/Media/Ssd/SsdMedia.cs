namespace Hardware.Emulator.Media;

/// <summary>
/// A flash drive: a controller stage every command passes one at a time (FTL work), then channels x dies working in
/// parallel. Logical pages are striped channel first (page p on channel p mod channels, then die), so a large
/// sequential access spreads over every channel. Each die and each channel has a busy-until time; an access
/// reserves them in the order it is issued, which is how concurrent accesses contend.
/// <list type="bullet">
/// <item>Read of a page: the die reads the array into its page register (tR), then the requested bytes cross the channel.</item>
/// <item>Write of a page: the bytes cross the channel, then the die programs; a partial page is charged pro rata
/// (the controller packs small writes into full pages). Programs run at the SLC write-cache speed.</item>
/// <item>TRIM unmaps whole pages; reading an unmapped page needs no flash access (the controller returns zeros).</item>
/// </list>
/// Not modelled: garbage collection, write amplification, folding of the SLC cache into TLC and the write cliff
/// when it fills, read disturb and retries, multi-plane operations, the SATA link (the drive models it).
/// </summary>
public sealed class SsdMedia : IMediaModel
{
    private readonly long _readNs, _programNs, _controllerReadNs, _controllerWriteNs;
    private readonly double _channelNsPerByte;
    private readonly int _channels, _diesPerChannel, _pageBytes, _sectorsPerPage;
    private readonly long[] _dieBusyUntil;
    private readonly long[] _channelBusyUntil;
    private readonly FlashPageMap _pageMap;
    private long _controllerBusyUntil;

    /// <summary>A flash drive for a valid profile of kind "ssd".</summary>
    public SsdMedia(DeviceProfile profile)
    {
        MediaModels.RequireValid(profile, "ssd");
        SsdParameters parameters = profile.Ssd!;
        Profile = profile;
        CapacitySectors = profile.CapacityBytes / profile.LogicalSectorSize;
        _channels = parameters.Channels;
        _diesPerChannel = parameters.DiesPerChannel;
        _pageBytes = parameters.PageBytes;
        _sectorsPerPage = parameters.PageBytes / profile.LogicalSectorSize;
        _readNs = Nanoseconds(parameters.ReadUs);
        _programNs = Nanoseconds(parameters.ProgramUs);
        _controllerReadNs = Nanoseconds(parameters.ControllerReadUs);
        _controllerWriteNs = Nanoseconds(parameters.ControllerWriteUs);
        _channelNsPerByte = 1e3 / parameters.ChannelMBps;
        _dieBusyUntil = new long[_channels * _diesPerChannel];
        _channelBusyUntil = new long[_channels];
        _pageMap = new FlashPageMap((CapacitySectors + _sectorsPerPage - 1) / _sectorsPerPage, parameters.Preconditioned);
    }

    public DeviceProfile Profile { get; }

    public long CapacitySectors { get; }

    public int LogicalSectorSize => Profile.LogicalSectorSize;

    public int PhysicalSectorSize => Profile.PhysicalSectorSize;

    public ushort NominalRotationRate => 1;

    /// <summary>Every die can work at once, and the controller accepts as many commands as NCQ can queue.</summary>
    public int MaxConcurrentAccesses => Math.Max(_channels * _diesPerChannel, Math.Max(1, Profile.NcqDepth));

    public int Channels => _channels;

    public int Dies => _dieBusyUntil.Length;

    /// <summary>The channel and die (global index) logical page <paramref name="page"/> lives on.</summary>
    public (int Channel, int Die) Stripe(long page)
    {
        int channel = (int)(page % _channels);
        int dieInChannel = (int)(page / _channels % _diesPerChannel);
        return (channel, channel * _diesPerChannel + dieInChannel);
    }

    public bool IsMapped(long lba) => _pageMap.IsMapped(lba / _sectorsPerPage);

    public long Access(long start, MediaOperation operation, long lba, int sectorCount)
    {
        MediaRange.Validate(lba, sectorCount, 1, CapacitySectors);
        bool write = operation == MediaOperation.Write;
        long controllerDone = Math.Max(start, _controllerBusyUntil) + (write ? _controllerWriteNs : _controllerReadNs);
        _controllerBusyUntil = controllerDone;

        long completion = controllerDone;
        long firstByte = lba * LogicalSectorSize, endByte = (lba + sectorCount) * LogicalSectorSize;
        for (long page = firstByte / _pageBytes; page * _pageBytes < endByte; page++)
        {
            long pageStart = page * _pageBytes;
            int bytes = (int)(Math.Min(endByte, pageStart + _pageBytes) - Math.Max(firstByte, pageStart));
            (int channel, int die) = Stripe(page);
            long done = write
                ? Program(controllerDone, page, channel, die, bytes)
                : Read(controllerDone, page, channel, die, bytes);
            completion = Math.Max(completion, done);
        }
        return completion;
    }

    /// <summary>Time until the first page's data could cross its channel, given the controller and that die's queue.</summary>
    public long EstimatePositioning(long start, MediaOperation operation, long lba)
    {
        MediaRange.Validate(lba, 1, 1, CapacitySectors);
        bool write = operation == MediaOperation.Write;
        long controllerDone = Math.Max(start, _controllerBusyUntil) + (write ? _controllerWriteNs : _controllerReadNs);
        long page = lba * LogicalSectorSize / _pageBytes;
        if (!write && !_pageMap.IsMapped(page)) return controllerDone - start;
        (int channel, int die) = Stripe(page);
        long dieReady = Math.Max(controllerDone, _dieBusyUntil[die]);
        long dataReady = write ? dieReady : dieReady + _readNs;
        return Math.Max(dataReady, _channelBusyUntil[channel]) - start;
    }

    /// <summary>Unmaps every page the range covers completely; a partly covered page still holds other data.</summary>
    public void Trim(long lba, long sectorCount)
    {
        MediaRange.Validate(lba, sectorCount, 0, CapacitySectors);
        long firstPage = (lba + _sectorsPerPage - 1) / _sectorsPerPage;
        long endPage = (lba + sectorCount) / _sectorsPerPage;
        if (lba + sectorCount == CapacitySectors) endPage = (CapacitySectors + _sectorsPerPage - 1) / _sectorsPerPage;
        for (long page = firstPage; page < endPage; page++) _pageMap.SetMapped(page, false);
    }

    private long Read(long ready, long page, int channel, int die, int bytes)
    {
        if (!_pageMap.IsMapped(page)) return ready;
        long arrayDone = Math.Max(ready, _dieBusyUntil[die]) + _readNs;
        long transferDone = Math.Max(arrayDone, _channelBusyUntil[channel]) + TransferNs(bytes);
        _dieBusyUntil[die] = transferDone;
        _channelBusyUntil[channel] = transferDone;
        return transferDone;
    }

    private long Program(long ready, long page, int channel, int die, int bytes)
    {
        long transferStart = Math.Max(ready, Math.Max(_channelBusyUntil[channel], _dieBusyUntil[die]));
        long transferDone = transferStart + TransferNs(bytes);
        long programDone = transferDone + (long)Math.Round(_programNs * (double)bytes / _pageBytes);
        _channelBusyUntil[channel] = transferDone;
        _dieBusyUntil[die] = programDone;
        _pageMap.SetMapped(page, true);
        return programDone;
    }

    private long TransferNs(int bytes) => (long)Math.Round(bytes * _channelNsPerByte);

    private static long Nanoseconds(double microseconds) => (long)Math.Round(microseconds * 1e3);
}
