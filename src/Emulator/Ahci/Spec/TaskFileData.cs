using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxTFD: the shadow Status in bits 7:0 and Error in bits 15:8 (AHCI 1.3.1, 3.3.8).</summary>
public static class TaskFileData
{
    /// <summary>Reset value and the value while a COMRESET is in progress.</summary>
    public const uint ResetValue = 0x7F;

    public static AtaStatus Status(uint tfd) => (AtaStatus)(tfd & 0xFF);

    public static AtaError Error(uint tfd) => (AtaError)((tfd >> 8) & 0xFF);

    public static uint Compose(AtaStatus status, AtaError error) => (uint)(byte)status | (uint)(byte)error << 8;
}
