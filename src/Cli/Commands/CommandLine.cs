using System.CommandLine;
using Hardware.Cli.Commands.Images;

namespace Hardware.Cli.Commands;

/// <summary>
/// The hwstack command tree. A bad argument prints one line to standard error and exits with status 2;
/// a command's own failures are <see cref="CliException"/>s with the same contract.
/// </summary>
public static class CommandLine
{
    public const int ExitUsage = 2;

    public static RootCommand Build(TextWriter output)
    {
        var root = new RootCommand("hwstack: a hardware-faithful emulated block-device stack (AHCI, SATA drives, block layer, VFS)");
        root.Subcommands.Add(BootCommand.Create(output));
        root.Subcommands.Add(Jobs.RunCommand.Create(output));
        root.Subcommands.Add(ReplayCommand.Create(output));
        root.Subcommands.Add(StudyCommand.Create(output));
        root.Subcommands.Add(TextbookCommand.Create(output));
        root.Subcommands.Add(DevicesCommand.Create(output));
        root.Subcommands.Add(SchedulersCommand.Create(output));
        foreach (Command command in ImageCommands.Create(output))
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"hwstack: {parse.Errors[0].Message} (try 'hwstack --help')");
            return ExitUsage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            error.WriteLine($"hwstack: {e.Message}");
            return e.ExitCode;
        }
    }
}

/// <summary>An expected failure of a command: one line for the user, no stack trace.</summary>
public sealed class CliException(string message, int exitCode = CommandLine.ExitUsage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
