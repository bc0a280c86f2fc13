using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// FLUSH and FUA against power loss on the 7200 RPM disk with its write-back cache on. Each case writes old data and
/// makes it durable, overwrites it the way the case says, cuts the drive's power, then does what a driver does when
/// the disk comes back: COMRESET and restart the port through registers, and read.
/// </summary>
public class PowerLossTests
{
    private const long Lba = 1_000_003;
    private const int Bytes = 64 * 1024;

    public enum Overwrite
    {
        CachedWriteOnly,
        CachedWriteThenFlushCacheExt,
        CachedWriteThenFlushCache,
        WriteDmaFuaExt,
        WriteFpdmaWithFua,
        CachedWriteWithTheWriteCacheOff,
    }

    public static TheoryData<Overwrite, bool> Cases() => new()
    {
        { Overwrite.CachedWriteOnly, false },
        { Overwrite.CachedWriteThenFlushCacheExt, true },
        { Overwrite.CachedWriteThenFlushCache, true },
        { Overwrite.WriteDmaFuaExt, true },
        { Overwrite.WriteFpdmaWithFua, true },
        { Overwrite.CachedWriteWithTheWriteCacheOff, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Power_loss_after_an_overwrite_keeps_the_new_data_only_when_it_was_made_durable(Overwrite overwrite, bool survives)
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        Assert.True(rig.Drive.WriteCacheEnabled);
        byte[] oldData = MachineRig.Pattern(Bytes, StableHash.Fnv1a64($"old/{overwrite}"), Lba);
        byte[] newData = MachineRig.Pattern(Bytes, StableHash.Fnv1a64($"new/{overwrite}"), Lba);
        rig.Write(DmaMode.Lba48, Lba, oldData);
        Assert.True(rig.Flush().Succeeded);

        switch (overwrite)
        {
            case Overwrite.CachedWriteOnly:
                rig.Write(DmaMode.Lba48, Lba, newData);
                Assert.True(rig.Drive.DirtySectors > 0, "the overwrite must still be in the cache when power fails");
                break;
            case Overwrite.CachedWriteThenFlushCacheExt:
                rig.Write(DmaMode.Ncq, Lba, newData);
                Assert.True(rig.Flush().Succeeded);
                break;
            case Overwrite.CachedWriteThenFlushCache:
                rig.Write(DmaMode.Lba48, Lba, newData);
                Assert.True(rig.Execute(AtaCommands.Flush()).Succeeded);
                break;
            case Overwrite.WriteDmaFuaExt:
                rig.Write(DmaMode.Lba48, Lba, newData, fua: true);
                break;
            case Overwrite.WriteFpdmaWithFua:
                rig.Write(DmaMode.Ncq, Lba, newData, fua: true);
                break;
            case Overwrite.CachedWriteWithTheWriteCacheOff:
                Assert.True(rig.Execute(AtaCommands.SetFeature(AtaCommands.DisableWriteCache)).Succeeded);
                rig.Write(DmaMode.Lba48, Lba, newData);
                break;
        }
        if (survives)
            Assert.Equal(0, rig.Drive.DirtySectors);

        rig.Drive.PowerLoss();
        rig.Recover(comReset: true);

        Assert.Equal(survives ? newData : oldData, rig.Read(DmaMode.Lba48, Lba, Bytes));
    }

    [Fact]
    public void A_fua_write_survives_power_loss_while_a_cached_write_beside_it_does_not()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        byte[] cached = MachineRig.Pattern(4096, 1, Lba);
        byte[] forced = MachineRig.Pattern(4096, 2, Lba + 8);

        // The FUA write first: while it waits for the medium, the drive would have time to destage a cached one.
        rig.Write(DmaMode.Ncq, Lba + 8, forced, fua: true);
        rig.Write(DmaMode.Ncq, Lba, cached);
        Assert.True(rig.Drive.DirtySectors > 0);
        rig.Drive.PowerLoss();
        rig.Recover(comReset: true);

        Assert.Equal(new byte[4096], rig.Read(DmaMode.Ncq, Lba, 4096));
        Assert.Equal(forced, rig.Read(DmaMode.Ncq, Lba + 8, 4096));
    }

    [Fact]
    public void After_power_loss_a_command_never_completes_until_the_driver_resets_the_port_with_comreset()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        byte[] data = MachineRig.Pattern(4096, 3, Lba);
        rig.Write(DmaMode.Lba48, Lba, data, fua: true);
        rig.Drive.PowerLoss();

        DmaBuffer buffer = rig.Driver.AllocateBuffer(4096);
        CommandResult timedOut = rig.Driver.Execute(MachineRig.Port, AhciCommand.Read(AtaCommands.ReadDma48(Lba, 8), buffer.Segment),
            timeout: 100_000_000);
        Assert.True(timedOut.TimedOut, timedOut.ToString());
        Assert.False(timedOut.Completed);
        Assert.NotEqual(0u, timedOut.CommandIssue); // still outstanding: the driver's timeout path
        Assert.Equal(AtaStatus.Bsy, timedOut.Status & AtaStatus.Bsy);

        // A stop/start alone does not wake a drive without power: the task file stays busy...
        Assert.True(rig.Driver.StopPort(MachineRig.Port));
        Assert.Equal(0u, rig.Driver.Read(MachineRig.Port, PortRegister.Ci));
        // ...COMRESET is what brings it back (power restored), and it signs on as a disk again.
        Assert.True(rig.Driver.ComReset(MachineRig.Port));
        Assert.Equal(DeviceSignature.Ata, rig.Driver.Read(MachineRig.Port, PortRegister.Sig));
        Assert.True(rig.Driver.StartPort(MachineRig.Port));

        Assert.Equal(data, rig.Read(DmaMode.Lba48, Lba, 4096));
    }

    [Fact]
    public void A_power_loss_planned_at_a_virtual_time_between_a_write_and_its_flush_loses_the_write()
    {
        var faults = new Hardware.Emulator.Faults.FaultPlan();
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"), faults: faults);
        byte[] data = MachineRig.Pattern(Bytes, 4, Lba);
        rig.Write(DmaMode.Lba48, Lba, data);
        faults.PowerLossAt(rig.Simulation.Now + 100_000); // 100 us later: the destage is still seeking

        CommandResult flush = rig.Driver.Execute(MachineRig.Port, AhciCommand.NoData(AtaCommands.FlushExt()), timeout: 100_000_000);
        Assert.False(flush.Completed, flush.ToString()); // the flush dies with the power
        Assert.Equal(1, rig.Drive.Statistics.PowerLosses);
        rig.Recover(comReset: true);

        Assert.Equal(new byte[Bytes], rig.Read(DmaMode.Lba48, Lba, Bytes));
    }

    [Fact]
    public void Power_loss_restores_the_power_on_write_cache_setting_which_identify_then_reports()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        Assert.True(rig.Execute(AtaCommands.SetFeature(AtaCommands.DisableWriteCache)).Succeeded);
        Assert.Equal(0, IdentifyWord85(rig) & 0x20);

        rig.Recover(comReset: true); // a COMRESET keeps the setting (software settings preservation)
        Assert.Equal(0, IdentifyWord85(rig) & 0x20);

        rig.Drive.PowerLoss();
        rig.Recover(comReset: true);
        Assert.Equal(0x20, IdentifyWord85(rig) & 0x20);
    }

    private static int IdentifyWord85(MachineRig rig) => BitConverter.ToUInt16(rig.Identify(), 85 * 2);
}
