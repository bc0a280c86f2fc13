using System.CommandLine;

namespace Hardware.Cli.Commands.Images;

/// <summary>The image tools: commands that work inside ext2 image files through the whole emulated stack.</summary>
public static class ImageCommands
{
    public static IEnumerable<Command> Create(TextWriter output) =>
    [
        ListCommand.Create(output),
        CatCommand.Create(output),
        StatCommand.Create(output),
        DfCommand.Create(output),
        TreeCommand.Create(output),
        CopyCommand.Create(output),
        MkdirCommand.Create(output),
        RemoveCommand.Create(output),
        MoveCommand.Create(output),
        LinkCommand.Create(output),
        MkfsCommand.Create(output),
        FsckCommand.Create(output),
    ];
}
