using Hardware.Emulator.Ahci;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>A platform with a scripted disk on one port, a driver initialized and that port started.</summary>
public sealed class AhciRig : IDisposable
{
    private AhciRig(TestPlatform platform, AhciTestDriver driver, ScriptedSataDevice device, int port)
    {
        Platform = platform;
        Driver = driver;
        Device = device;
        Port = port;
    }

    public TestPlatform Platform { get; }

    public AhciTestDriver Driver { get; }

    public ScriptedSataDevice Device { get; }

    public int Port { get; }

    public static AhciRig Start(
        AhciHbaOptions? options = null,
        bool msi = false,
        bool interrupts = true,
        int port = 0,
        SataGeneration deviceGeneration = SataGeneration.Gen3,
        long interruptLatency = 1_000)
    {
        var platform = new TestPlatform(options, interruptLatency: interruptLatency);
        ScriptedSataDevice device = platform.AttachScriptedDevice(port, deviceGeneration);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(msi, interrupts);
        if (!driver.StartPort(port))
            throw new InvalidOperationException($"port {port} did not come up: {string.Join("; ", platform.Warnings)}");
        return new AhciRig(platform, driver, device, port);
    }

    public CommandResult Execute(AhciCommand command) => Driver.Execute(Port, command);

    public static byte Pattern(long i) => (byte)(i * 7 + 3);

    public static byte Pattern2(long i) => (byte)(i * 13 + 101);

    public void Dispose() => Platform.Dispose();
}
