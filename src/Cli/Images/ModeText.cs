using System.Globalization;
using Hardware.Vfs;

namespace Hardware.Cli.Images;

/// <summary>Modes and times the way ls -l and stat(1) print them.</summary>
public static class ModeText
{
    /// <summary>"drwxr-sr-t": the type letter and the nine permission bits with setuid, setgid and sticky folded in.</summary>
    public static string Of(int mode)
    {
        char type = (mode & 0xF000) switch
        {
            0x4000 => 'd',
            0xA000 => 'l',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            0xC000 => 's',
            _ => '-',
        };
        Span<char> text = [type, '-', '-', '-', '-', '-', '-', '-', '-', '-'];
        const string letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
        {
            if ((mode & (0x100 >> i)) != 0)
                text[1 + i] = letters[i];
        }
        Special(text, 3, (mode & 0x800) != 0, 's');
        Special(text, 6, (mode & 0x400) != 0, 's');
        Special(text, 9, (mode & 0x200) != 0, 't');
        return new string(text);
    }

    /// <summary>stat(1)'s file type words.</summary>
    public static string TypeName(InodeType type, long size) => type switch
    {
        InodeType.Regular => size == 0 ? "regular empty file" : "regular file",
        InodeType.Directory => "directory",
        InodeType.Symlink => "symbolic link",
        InodeType.CharDevice => "character special file",
        InodeType.BlockDevice => "block special file",
        InodeType.Fifo => "fifo",
        InodeType.Socket => "socket",
        _ => "unknown",
    };

    /// <summary>Nanoseconds since the epoch as UTC "2024-01-31 12:00".</summary>
    public static string Minutes(long ns) => Time(ns).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Nanoseconds since the epoch as stat(1) prints them, in UTC.</summary>
    public static string Full(long ns) =>
        Time(ns).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + $".{(int)(((ns % 1_000_000_000) + 1_000_000_000) % 1_000_000_000):D9} +0000";

    private static DateTime Time(long ns) => DateTime.UnixEpoch.AddTicks(Math.Clamp(ns / 100, -DateTime.UnixEpoch.Ticks, DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks));

    private static void Special(Span<char> text, int index, bool set, char letter)
    {
        if (set)
            text[index] = text[index] == '-' ? char.ToUpperInvariant(letter) : letter;
    }
}
