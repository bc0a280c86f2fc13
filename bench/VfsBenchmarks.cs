using BenchmarkDotNet.Attributes;
using Hardware.Vfs;

namespace Hardware.Bench;

/// <summary>
/// Namespace operations through the system calls with warm dentries: stat(2) of a path eight components deep,
/// open(2) + close(2) of a file, and creat + unlink, each in the ramfs root and in ext2 on a `ram` disk.
/// </summary>
[MemoryDiagnoser]
public class VfsBenchmarks
{
    private BenchMachine _machine = null!;
    private string _deep = "";
    private string _file = "";
    private string _scratch = "";

    [Params("ramfs", "ext2")]
    public string FileSystem { get; set; } = "ramfs";

    [GlobalSetup]
    public void Setup()
    {
        _machine = new BenchMachine();
        string top = "";
        if (FileSystem == "ext2")
        {
            _machine.MountExt2();
            top = "/mnt";
        }
        string directory = top;
        for (int i = 1; i <= 7; i++)
        {
            directory += $"/d{i}";
            BenchMachine.Ok(_machine.Sys.Mkdir(_machine.Root, directory));
        }
        _deep = directory + "/f";
        _machine.WriteFile(_deep, new byte[100]);
        _file = top + "/f";
        _machine.WriteFile(_file, new byte[100]);
        _scratch = top + "/scratch";
        StatEightComponents();
        OpenClose();
        CreateUnlink();
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark]
    public long StatEightComponents() => BenchMachine.Ok(_machine.Finish(_machine.Calls.StatAsync(_machine.Root, _deep))).Size;

    [Benchmark]
    public void OpenClose()
    {
        int fd = BenchMachine.Ok(_machine.Finish(_machine.Calls.OpenAsync(_machine.Root, _file, OpenFlags.ReadOnly)));
        BenchMachine.Ok(_machine.Finish(_machine.Calls.CloseAsync(_machine.Root, fd)));
    }

    [Benchmark]
    public void CreateUnlink()
    {
        int fd = BenchMachine.Ok(_machine.Finish(_machine.Calls.OpenAsync(_machine.Root, _scratch, OpenFlags.WriteOnly | OpenFlags.Create, 0x1A4)));
        BenchMachine.Ok(_machine.Finish(_machine.Calls.CloseAsync(_machine.Root, fd)));
        BenchMachine.Ok(_machine.Finish(_machine.Calls.UnlinkAsync(_machine.Root, _scratch)));
    }
}
