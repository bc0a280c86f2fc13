using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// A driver issues its next command the moment PxCI shows the previous one done. After PIO data-in (IDENTIFY, READ
/// LOG EXT) that moment is the end of the data phase; the drive must take the next command then, and nothing late
/// from the previous command may complete the new one.
/// </summary>
public class BackToBackCommandTests
{
    public static TheoryData<string, DmaMode> Sequences()
    {
        var data = new TheoryData<string, DmaMode>();
        foreach (string first in new[] { "IDENTIFY DEVICE", "READ LOG EXT 10h" })
            foreach (DmaMode next in new[] { DmaMode.Lba28, DmaMode.Lba48, DmaMode.Ncq })
                data.Add(first, next);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_read_issued_the_moment_a_pio_data_in_command_completes_returns_its_data(string first, DmaMode next)
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Lba28Sized("hdd-7200"));
        const long lba = 31_337;
        byte[] data = MachineRig.Pattern(8192, 5, lba);
        rig.Write(DmaMode.Lba48, lba, data);
        DmaBuffer page = rig.Driver.AllocateBuffer(512);
        RegisterH2DFis fis = first == "IDENTIFY DEVICE" ? AtaCommands.Identify() : AtaCommands.ReadLog(AtaCommands.NcqCommandErrorLog);

        CommandResult pio = rig.Execute(AhciCommand.Read(fis, page.Segment));
        Assert.True(pio.Succeeded, pio.ToString());
        Assert.True(pio.Has(PortInterrupts.Pss), pio.ToString());

        byte[] read = rig.Read(next, lba, 8192); // issued at once, in the same virtual instant

        Assert.Equal(data, read);
        Assert.DoesNotContain(rig.Machine.Log.Entries, e => e.Message.Contains("ignored"));
    }
}
