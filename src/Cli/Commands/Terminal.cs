using Spectre.Console;

namespace Hardware.Cli.Commands;

/// <summary>Spectre consoles over a writer: colours and box drawing only when the writer is an interactive terminal.</summary>
public static class Terminal
{
    /// <summary>The --no-color option every command with tables or progress bars takes.</summary>
    public static System.CommandLine.Option<bool> NoColorOption() =>
        new("--no-color") { Description = "Plain output without colours, box drawing or progress bars (also when NO_COLOR is set or output is redirected)" };

    public static IAnsiConsole Create(TextWriter output, bool noColor = false)
    {
        bool interactive = !noColor && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Plain output is for logs, pipes and grep: no Unicode there, tables drawn in ASCII (see WriteTable).
        console.Profile.Capabilities.Unicode = interactive;
        return console;
    }

    /// <summary>Writes a table, in ASCII borders when the console is plain.</summary>
    public static void WriteTable(this IAnsiConsole console, Table table)
    {
        if (!console.Profile.Capabilities.Unicode)
            table.Border(TableBorder.Ascii);
        console.Write(table);
    }
}
