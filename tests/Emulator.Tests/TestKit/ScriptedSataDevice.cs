using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>
/// A fake SATA device for HBA tests: it answers COMRESET with a signature FIS and each command with the FIS
/// sequence a test scripts (<see cref="OnCommand"/>). Without a script, a non-queued command completes with a
/// D2H FIS after <see cref="CommandLatency"/>, and an NCQ command is accepted at once (D2H clearing BSY) and
/// completed through a Set Device Bits FIS after the latency. It records what it saw for assertions.
/// </summary>
public sealed class ScriptedSataDevice : ISataDevice
{
    private readonly Sim _simulation;
    private long _resetEpoch;

    public ScriptedSataDevice(Sim simulation, SataGeneration maxGeneration = SataGeneration.Gen3)
    {
        _simulation = simulation;
        MaxGeneration = maxGeneration;
    }

    public SataGeneration MaxGeneration { get; }

    public ISataHostPort? Host { get; private set; }

    /// <summary>From COMRESET to the signature FIS.</summary>
    public long ResetLatency { get; set; } = 2_000;

    /// <summary>The default scripts' time from command receipt to completion.</summary>
    public long CommandLatency { get; set; } = 5_000;

    /// <summary>Count 7:0 and LBA 23:0 of the signature FIS (an ATA disk: 00000101h).</summary>
    public uint Signature { get; set; } = DeviceSignature.Ata;

    /// <summary>Whether the signature FIS carries the I bit.</summary>
    public bool SignatureInterrupt { get; set; }

    /// <summary>Builds the response to each command; null = the default responses described on the type.</summary>
    public Func<RegisterH2DFis, DeviceScript>? OnCommand { get; set; }

    public List<SataGeneration> ComResets { get; } = [];

    public List<(long Time, RegisterH2DFis Fis)> Commands { get; } = [];

    /// <summary>The status of every data phase the device attempted, in order.</summary>
    public List<DmaStatus> DataPhases { get; } = [];

    /// <summary>The bytes the last host-to-device data phase delivered.</summary>
    public byte[] LastDataOut { get; private set; } = [];

    /// <summary>Virtual time of the last FIS the device sent.</summary>
    public long LastFisTime { get; private set; }

    public void Attach(ISataHostPort host) => Host = host;

    public void ComReset(SataGeneration negotiated)
    {
        ComResets.Add(negotiated);
        _resetEpoch++; // scripts of commands sent before the reset stop
        long epoch = _resetEpoch;
        _simulation.Schedule(ResetLatency, _ =>
        {
            if (epoch != _resetEpoch)
                return;
            var fis = new RegisterD2HFis
            {
                Status = AtaStatus.Drdy | (AtaStatus)0x10, // DRDY and DSC (seek complete): 50h
                Error = (AtaError)0x01, // diagnostic code: no error
                Count = (ushort)(Signature & 0xFF),
                Lba = Signature >> 8,
                Interrupt = SignatureInterrupt,
            };
            Send(() => Host!.ReceiveRegisterD2H(fis));
        }, null);
    }

    public void ReceiveCommand(in RegisterH2DFis fis)
    {
        Commands.Add((_simulation.Now, fis));
        DeviceScript script = OnCommand?.Invoke(fis) ?? DefaultScript(fis);
        Run(script.Steps, 0, _resetEpoch);
    }

    public static bool IsQueued(in RegisterH2DFis fis) => fis.Command is AtaCommands.ReadFpdmaQueued or AtaCommands.WriteFpdmaQueued;

    private DeviceScript DefaultScript(in RegisterH2DFis fis)
    {
        if (IsQueued(fis))
        {
            return new DeviceScript()
                .RegisterD2H(AtaStatus.Drdy, interrupt: false)
                .After(CommandLatency)
                .SetDeviceBits(1u << fis.NcqTag);
        }
        return new DeviceScript().After(CommandLatency).RegisterD2H(AtaStatus.Drdy);
    }

    private void Run(IReadOnlyList<DeviceStep> steps, int index, long epoch)
    {
        while (index < steps.Count)
        {
            if (epoch != _resetEpoch)
                return;
            DeviceStep step = steps[index++];
            if (step is DeviceStep.Wait wait)
            {
                int next = index;
                _simulation.Schedule(wait.Nanoseconds, _ => Run(steps, next, epoch), null);
                return;
            }
            Execute(step);
        }
    }

    private void Execute(DeviceStep step)
    {
        ISataHostPort host = Host ?? throw new InvalidOperationException("the device is not attached");
        switch (step)
        {
            case DeviceStep.D2H d2h:
                Send(() => host.ReceiveRegisterD2H(d2h.Fis));
                break;
            case DeviceStep.Sdb sdb:
                Send(() => host.ReceiveSetDeviceBits(sdb.Fis));
                break;
            case DeviceStep.DmaSetup dma:
                Send(() => host.ReceiveDmaSetup(dma.Fis));
                break;
            case DeviceStep.PioSetup pio:
                Send(() => host.ReceivePioSetup(pio.Fis));
                break;
            case DeviceStep.DataIn dataIn:
                TransferIn(host, dataIn);
                break;
            case DeviceStep.DataOut dataOut:
                TransferOut(host, dataOut.Length);
                break;
            default:
                throw new InvalidOperationException($"unknown step {step}");
        }
    }

    private void Send(Action send)
    {
        LastFisTime = _simulation.Now;
        send();
    }

    private void TransferIn(ISataHostPort host, DeviceStep.DataIn step)
    {
        long moved = 0;
        while (moved < step.Length)
        {
            DmaStatus status = host.MapHostBuffer(moved, (int)Math.Min(step.Length - moved, int.MaxValue), out Span<byte> piece);
            if (status != DmaStatus.Ok)
            {
                DataPhases.Add(status);
                return;
            }
            if (piece.IsEmpty)
                throw new InvalidOperationException($"the host mapped an empty piece at offset {moved}");
            for (int i = 0; i < piece.Length; i++)
                piece[i] = step.Pattern(moved + i);
            moved += piece.Length;
        }
        DataPhases.Add(DmaStatus.Ok);
        host.CompleteDataPhase(moved);
    }

    private void TransferOut(ISataHostPort host, int length)
    {
        var received = new byte[length];
        long moved = 0;
        while (moved < length)
        {
            DmaStatus status = host.MapHostBuffer(moved, (int)(length - moved), out Span<byte> piece);
            if (status != DmaStatus.Ok)
            {
                DataPhases.Add(status);
                return;
            }
            if (piece.IsEmpty)
                throw new InvalidOperationException($"the host mapped an empty piece at offset {moved}");
            piece.CopyTo(received.AsSpan((int)moved));
            moved += piece.Length;
        }
        LastDataOut = received;
        DataPhases.Add(DmaStatus.Ok);
        host.CompleteDataPhase(moved);
    }
}

/// <summary>One thing a scripted device does, in order; <see cref="Wait"/> lets virtual time pass.</summary>
public abstract record DeviceStep
{
    public sealed record Wait(long Nanoseconds) : DeviceStep;

    public sealed record D2H(RegisterD2HFis Fis) : DeviceStep;

    public sealed record Sdb(SetDeviceBitsFis Fis) : DeviceStep;

    public sealed record DmaSetup(DmaSetupFis Fis) : DeviceStep;

    public sealed record PioSetup(PioSetupFis Fis) : DeviceStep;

    /// <summary>Device to host: byte i of the transfer is <c>Pattern(i)</c>; then CompleteDataPhase.</summary>
    public sealed record DataIn(long Length, Func<long, byte> Pattern) : DeviceStep;

    /// <summary>Host to device: the bytes land in <see cref="ScriptedSataDevice.LastDataOut"/>.</summary>
    public sealed record DataOut(int Length) : DeviceStep;
}

/// <summary>A fluent list of <see cref="DeviceStep"/>s.</summary>
public sealed class DeviceScript
{
    private readonly List<DeviceStep> _steps = [];

    public IReadOnlyList<DeviceStep> Steps => _steps;

    public DeviceScript After(long nanoseconds) => Add(new DeviceStep.Wait(nanoseconds));

    public DeviceScript RegisterD2H(AtaStatus status = AtaStatus.Drdy, AtaError error = AtaError.None, bool interrupt = true) =>
        Add(new DeviceStep.D2H(new RegisterD2HFis { Status = status, Error = error, Interrupt = interrupt }));

    public DeviceScript SetDeviceBits(uint completedTags, AtaStatus status = AtaStatus.Drdy, AtaError error = AtaError.None, bool interrupt = true) =>
        Add(new DeviceStep.Sdb(new SetDeviceBitsFis { CompletedTags = completedTags, Status = status, Error = error, Interrupt = interrupt }));

    public DeviceScript DmaSetup(int tag, bool toHost, bool interrupt = false) =>
        Add(new DeviceStep.DmaSetup(new DmaSetupFis { BufferIdentifier = (ulong)tag, DeviceToHost = toHost, Interrupt = interrupt, AutoActivate = !toHost }));

    public DeviceScript PioSetup(int byteCount, bool toHost, AtaStatus endStatus = AtaStatus.Drdy, bool interrupt = true) =>
        Add(new DeviceStep.PioSetup(new PioSetupFis
        {
            DeviceToHost = toHost,
            Interrupt = interrupt,
            Status = AtaStatus.Drdy | AtaStatus.Drq,
            EndStatus = endStatus,
            TransferCount = (ushort)byteCount,
        }));

    public DeviceScript DataIn(long length, Func<long, byte> pattern) => Add(new DeviceStep.DataIn(length, pattern));

    public DeviceScript DataOut(int length) => Add(new DeviceStep.DataOut(length));

    private DeviceScript Add(DeviceStep step)
    {
        _steps.Add(step);
        return this;
    }
}
