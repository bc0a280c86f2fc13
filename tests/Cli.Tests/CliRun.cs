using Hardware.Cli.Commands;

namespace Hardware.Cli.Tests;

/// <summary>Runs the hwstack command line in process and captures what it prints.</summary>
internal static class CliRun
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
