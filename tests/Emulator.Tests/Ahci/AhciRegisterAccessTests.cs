using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Read-only, read-write and write-1-to-clear behaviour of every register, and unknown offsets.</summary>
public class AhciRegisterAccessTests
{
    private static (TestPlatform Platform, AhciTestDriver Driver) Build()
    {
        var platform = new TestPlatform();
        AhciTestDriver driver = platform.CreateDriver();
        driver.EnableDevice();
        return (platform, driver);
    }

    public static TheoryData<HbaRegister> ReadOnlyHostRegisters() =>
        [HbaRegister.Cap, HbaRegister.Pi, HbaRegister.Vs, HbaRegister.CccCtl, HbaRegister.CccPorts, HbaRegister.EmLoc, HbaRegister.EmCtl, HbaRegister.Cap2, HbaRegister.Bohc];

    [Theory]
    [MemberData(nameof(ReadOnlyHostRegisters))]
    public void Read_only_host_registers_ignore_writes(HbaRegister register)
    {
        var (platform, driver) = Build();
        using var _ = platform;
        uint before = driver.Read(register);
        driver.Write(register, ~before);
        driver.Write(register, 0);
        Assert.Equal(before, driver.Read(register));
    }

    [Fact]
    public void In_ghc_only_ie_is_writable_and_ae_stays_set()
    {
        var (platform, driver) = Build();
        using var _ = platform;
        driver.Write(HbaRegister.Ghc, 0);
        Assert.Equal((uint)GlobalHbaControl.Ae, driver.Read(HbaRegister.Ghc));
        driver.Write(HbaRegister.Ghc, 0x7FFF_FFFE); // everything but HR and AE
        Assert.Equal((uint)(GlobalHbaControl.Ae | GlobalHbaControl.Ie), driver.Read(HbaRegister.Ghc));
    }

    public static TheoryData<PortRegister> ReadOnlyPortRegisters() =>
        [PortRegister.Tfd, PortRegister.Sig, PortRegister.Ssts, PortRegister.Fbs, PortRegister.Devslp];

    [Theory]
    [MemberData(nameof(ReadOnlyPortRegisters))]
    public void Read_only_port_registers_ignore_writes(PortRegister register)
    {
        var (platform, driver) = Build();
        using var _ = platform;
        uint before = driver.Read(0, register);
        driver.Write(0, register, ~before);
        Assert.Equal(before, driver.Read(0, register));
    }

    public static TheoryData<PortRegister, uint, uint> ReadWritePortRegisters() => new()
    {
        // register, value written, value read back (reserved and alignment bits read 0)
        { PortRegister.Clb, 0xFFFF_FFFFu, 0xFFFF_FC00u },
        { PortRegister.Clbu, 0xFFFF_FFFFu, 0xFFFF_FFFFu },
        { PortRegister.Fb, 0xFFFF_FFFFu, 0xFFFF_FF00u },
        { PortRegister.Fbu, 0xFFFF_FFFFu, 0xFFFF_FFFFu },
        { PortRegister.Ie, 0xFFFF_FFFFu, (uint)PortInterrupts.All },
        { PortRegister.Sctl, 0xFFFF_FFF0u, 0x000F_FFF0u },
    };

    [Theory]
    [MemberData(nameof(ReadWritePortRegisters))]
    public void Read_write_port_registers_keep_their_defined_bits(PortRegister register, uint written, uint expected)
    {
        var (platform, driver) = Build();
        using var _ = platform;
        driver.Write(0, register, written);
        Assert.Equal(expected, driver.Read(0, register));
        driver.Write(0, register, 0);
        Assert.Equal(0u, driver.Read(0, register));
    }

    [Fact]
    public void Port_status_bits_are_write_one_to_clear_except_pcs_and_prcs_which_follow_serr()
    {
        using var platform = new TestPlatform();
        platform.AttachScriptedDevice(0);
        AhciTestDriver driver = platform.CreateDriver();
        platform.Simulation.Run();
        uint pcsPrcs = (uint)(PortInterrupts.Pcs | PortInterrupts.Prcs);
        Assert.Equal(pcsPrcs, driver.Read(0, PortRegister.Is));

        driver.Write(0, PortRegister.Is, 0xFFFF_FFFF);
        Assert.Equal(pcsPrcs, driver.Read(0, PortRegister.Is));

        driver.Write(0, PortRegister.Serr, (uint)SError.DiagPhyRdyChange);
        Assert.Equal((uint)PortInterrupts.Pcs, driver.Read(0, PortRegister.Is));
        Assert.Equal((uint)SError.DiagExchanged, driver.Read(0, PortRegister.Serr));
        driver.Write(0, PortRegister.Serr, 0);
        Assert.Equal((uint)SError.DiagExchanged, driver.Read(0, PortRegister.Serr));
        driver.Write(0, PortRegister.Serr, 0xFFFF_FFFF);
        Assert.Equal(0u, driver.Read(0, PortRegister.Serr));
        Assert.Equal(0u, driver.Read(0, PortRegister.Is));
    }

    [Fact]
    public void Interrupt_status_bits_clear_only_where_one_is_written()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.Dhrs);
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.Equal((uint)PortInterrupts.Dhrs, driver.Read(0, PortRegister.Is));
        Assert.Equal(1u, driver.Read(HbaRegister.Is));

        driver.Write(HbaRegister.Is, 0xFFFF_FFFE); // not port 0's bit
        Assert.Equal(1u, driver.Read(HbaRegister.Is));
        driver.Write(0, PortRegister.Is, (uint)PortInterrupts.Sdbs);
        Assert.Equal((uint)PortInterrupts.Dhrs, driver.Read(0, PortRegister.Is));
        driver.Write(0, PortRegister.Is, (uint)PortInterrupts.Dhrs);
        driver.Write(HbaRegister.Is, 1);
        Assert.Equal(0u, driver.Read(0, PortRegister.Is));
        Assert.Equal(0u, driver.Read(HbaRegister.Is));
    }

    [Fact]
    public void Is_is_set_again_while_the_port_still_has_an_enabled_status()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.Dhrs);
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        driver.Write(HbaRegister.Is, 1); // clearing IS before PxIS: the port re-asserts it
        Assert.Equal(1u, driver.Read(HbaRegister.Is));
    }

    [Theory]
    [InlineData(0x2C)]
    [InlineData(0x9C)]
    [InlineData(0xA0)]
    [InlineData(0xFC)]
    public void An_unknown_host_register_reads_zero_and_is_logged(int offset)
    {
        var (platform, driver) = Build();
        using var _ = platform;
        Assert.Equal(0u, driver.ReadAbar(offset));
        driver.WriteAbar(offset, 1);
        Assert.Equal(2, platform.Log.Entries.Count(e => e.Source == "ahci" && e.Message.Contains($"0x{offset:x}")));
    }

    [Theory]
    [InlineData(0x1C)]
    [InlineData(0x48)]
    [InlineData(0x6C)]
    [InlineData(0x70)]
    [InlineData(0x7C)]
    public void An_unknown_port_register_reads_zero_and_is_logged(int offset)
    {
        var (platform, driver) = Build();
        using var _ = platform;
        Assert.Equal(0u, driver.ReadAbar(AhciLayout.PortBase(3) + offset));
        driver.WriteAbar(AhciLayout.PortBase(3) + offset, 1);
        Assert.Equal(2, platform.Log.Entries.Count(e => e.Source == "ahci.p3" && e.Message.Contains($"+0x{offset:x}")));
    }

    [Fact]
    public void A_register_beyond_the_last_implemented_port_reads_zero_and_is_logged()
    {
        var (platform, driver) = Build();
        using var _ = platform;
        int offset = AhciLayout.PortBase(6) + (int)PortRegister.Ssts; // 6 ports: 0-5
        Assert.Equal(0u, driver.ReadAbar(offset));
        driver.WriteAbar(offset, 1);
        Assert.Equal(2, platform.Log.Entries.Count(e => e.Level == DeviceLogLevel.Warning && e.Message.Contains("beyond the last implemented port")));
    }

    [Fact]
    public void Writing_to_unimplemented_features_is_noted_in_the_log()
    {
        var (platform, driver) = Build();
        using var _ = platform;
        driver.Write(HbaRegister.CccCtl, 1);
        Assert.Contains(platform.Log.Entries, e => e.Message.Contains("CccCtl") && e.Message.Contains("not implemented"));
    }
}
