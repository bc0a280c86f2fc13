namespace Hardware.Emulator.Sata;

/// <summary>Frame Information Structure type codes (SATA 3.x, 10.5).</summary>
public enum FisType : byte
{
    RegisterHostToDevice = 0x27,
    RegisterDeviceToHost = 0x34,
    DmaActivate = 0x39,
    DmaSetup = 0x41,
    Data = 0x46,
    Bist = 0x58,
    PioSetup = 0x5F,
    SetDeviceBits = 0xA1,
}
