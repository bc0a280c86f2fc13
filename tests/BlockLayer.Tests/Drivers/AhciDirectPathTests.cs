using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.BlockLayer.Tests.Drivers.TestKit;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;

namespace Hardware.BlockLayer.Tests.Drivers;

/// <summary>The queue-less path the boot workload uses: the same requests and recovery, without a request queue.</summary>
public class AhciDirectPathTests
{
    private static (EmulatedMachine Machine, AhciPortDriver Disk) Boot(FaultPlan? faults = null)
    {
        var machine = new EmulatedMachine(new MachineOptions { Drives = [new DriveSpec(AhciDiskRig.Preset("ram"), Faults: faults)] });
        AhciHostDriver host = machine.Simulation.RunUntilComplete(machine.Simulation.Spawn(() => AhciHostDriver.ProbeAsync(machine.Platform)))!;
        return (machine, host.Disks[0]);
    }

    [Fact]
    public void Transfers_and_flushes_without_a_queue_succeed_and_move_the_data()
    {
        var (machine, disk) = Boot();
        using (machine)
        {
            PageFrame source = machine.Frames.AllocateContiguous(2);
            PageFrame target = machine.Frames.AllocateContiguous(2);
            machine.Memory.GetSpan(source.Address, 8192).Fill(0x5A);
            Errno[] results = machine.Simulation.RunUntilComplete(machine.Simulation.Spawn(async () => new[]
            {
                await disk.TransferAsync(true, 64, 16, new[] { new BioSegment(source.Address, 8192) }, forceUnitAccess: true),
                await disk.FlushAsync(),
                await disk.TransferAsync(false, 64, 16, new[] { new BioSegment(target.Address, 4096), new BioSegment(target.Address + 4096, 4096) }),
            }));
            Assert.Equal([Errno.None, Errno.None, Errno.None], results);
            Assert.True(machine.Memory.GetSpan(target.Address, 8192).IndexOfAnyExcept((byte)0x5A) < 0);
        }
    }

    [Fact]
    public void A_hung_transfer_recovers_through_the_same_error_handling()
    {
        var faults = new FaultPlan();
        var (machine, disk) = Boot(faults);
        using (machine)
        {
            faults.HangCommandNumber(machine.Drives[0].Statistics.TotalCommands + 1);
            PageFrame buffer = machine.Frames.Allocate();
            Errno result = machine.Simulation.RunUntilComplete(machine.Simulation.Spawn(async () =>
                await disk.TransferAsync(false, 0, 8, new[] { new BioSegment(buffer.Address, 4096) })));
            Assert.Equal(Errno.None, result);
            Assert.Equal(1, disk.Statistics.Timeouts);
            Assert.Equal(1, disk.Statistics.ComResets);
        }
    }

    [Fact]
    public void A_transfer_the_hardware_cannot_describe_is_refused_before_it_reaches_the_driver()
    {
        var (machine, disk) = Boot();
        using (machine)
        {
            PageFrame buffer = machine.Frames.Allocate();
            Assert.Throws<ArgumentException>(() => disk.TransferAsync(false, 0, 16, new[] { new BioSegment(buffer.Address, 4096) }));
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.TransferAsync(false, disk.Identify!.CapacitySectors, 8, new[] { new BioSegment(buffer.Address, 4096) }));
            Assert.Throws<ArgumentException>(() => disk.TransferAsync(false, 0, 1, new[] { new BioSegment(buffer.Address + 1, 512) }));
            Assert.Throws<ArgumentException>(() => disk.TransferAsync(false, 0, 169, Enumerable.Range(0, 169).Select(i => new BioSegment(buffer.Address, 512)).ToArray()));
        }
    }

    [Fact]
    public void Options_without_a_single_try_are_refused_at_probe()
    {
        using var machine = new EmulatedMachine(new MachineOptions { Drives = [new DriveSpec(AhciDiskRig.Preset("ram"))] });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = AhciHostDriver.ProbeAsync(machine.Platform, AhciDriverOptions.Default with { MaxTries = 0 }); });
    }

    [Fact]
    public void Once_a_queue_owns_the_disk_the_direct_path_is_refused()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"));
        BioSegment[] buffer = rig.Contiguous(4096);
        var error = Assert.Throws<InvalidOperationException>(() => rig.Disk.TransferAsync(false, 0, 8, buffer));
        Assert.Contains("request queue", error.Message);
    }
}
