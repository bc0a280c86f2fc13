using Hardware.Cli.Commands;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// Reads a fio job file: <c>[global]</c> sections set defaults for the jobs after them, every other section is a job;
/// lines are <c>key=value</c> or a bare flag; text from ';' or '#' on is a comment. The options hwstack supports are
/// interpreted with fio's meanings (<see cref="JobOptionReader"/>); any other option, a bad value or a line outside a
/// section is a <see cref="CliException"/> naming the file, the line and the option (exit status 2).
/// </summary>
public static class JobFileParser
{
    public const string GlobalSection = "global";

    /// <summary>Parses the file at <paramref name="path"/>; an unreadable file is a <see cref="CliException"/>.</summary>
    public static IReadOnlyList<JobSpec> ParseFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the job file: {e.Message}");
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<JobSpec> Parse(string text, string fileName)
    {
        var globals = new List<JobOption>();
        var jobs = new List<JobSpec>();
        List<JobOption>? current = null;
        string? currentName = null;
        int currentLine = 0;

        void Finish()
        {
            if (currentName is not null && current is not null)
                jobs.Add(JobOptionReader.Read(fileName, currentName, currentLine, [.. globals, .. current], jobs.Count));
        }

        string[] lines = text.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            int lineNumber = index + 1;
            string line = StripComment(lines[index]).Trim();
            if (line.Length == 0)
                continue;
            if (line.StartsWith('['))
            {
                if (!line.EndsWith(']') || line.Length < 3)
                    throw new CliException($"{fileName}:{lineNumber}: a section header is '[name]', not '{line}'");
                Finish();
                string name = line[1..^1].Trim();
                if (name == GlobalSection)
                {
                    currentName = null;
                    current = globals;
                }
                else
                {
                    if (name.Length == 0 || name.Any(char.IsWhiteSpace))
                        throw new CliException($"{fileName}:{lineNumber}: job name '{name}' must be one word");
                    currentName = name;
                    currentLine = lineNumber;
                    current = [];
                }
                continue;
            }
            if (line.StartsWith("include ", StringComparison.Ordinal) || line.Contains("${", StringComparison.Ordinal))
                throw new CliException($"{fileName}:{lineNumber}: include directives and ${{VARIABLE}} expansion are not supported");
            if (current is null)
                throw new CliException($"{fileName}:{lineNumber}: option '{line}' is outside any [section]");
            int equals = line.IndexOf('=');
            JobOption option = equals < 0
                ? new JobOption(line.ToLowerInvariant(), null, lineNumber)
                : new JobOption(line[..equals].Trim().ToLowerInvariant(), line[(equals + 1)..].Trim(), lineNumber);
            if (option.Name.Length == 0)
                throw new CliException($"{fileName}:{lineNumber}: '{line}' has no option name");
            JobOptionReader.CheckKnown(fileName, option);
            current.Add(option);
        }
        Finish();
        if (jobs.Count == 0)
            throw new CliException($"{fileName}: no job section (a job is a [name] section other than [global])");
        return jobs;
    }

    /// <summary>fio cuts a line at the first ';' or '#'.</summary>
    private static string StripComment(string line)
    {
        int cut = line.IndexOfAny([';', '#']);
        return cut < 0 ? line : line[..cut];
    }
}

/// <summary>One option as written: its name, its value (null for a bare flag) and its line.</summary>
public readonly record struct JobOption(string Name, string? Value, int Line);
