using System.CommandLine;

namespace Hardware.Cli.Commands;

/// <summary>Options restricted to a few words, rejected in one line (the parser's own choice error spans several).</summary>
public static class OptionChoices
{
    public static Option<string> OneOf(this Option<string> option, params string[] choices)
    {
        option.CompletionSources.Add(choices);
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is not null && !choices.Contains(value))
                result.AddError($"{option.Name} '{value}' is not one of {string.Join(", ", choices)}");
        });
        return option;
    }
}
