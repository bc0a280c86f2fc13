namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// ATA strings (serial, firmware, model): printable ASCII, padded with spaces to the field, and the two characters of
/// each 16-bit word swapped, because the first character of a word travels in its high byte.
/// </summary>
public static class AtaString
{
    public static void Write(Span<byte> field, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (field.Length % 2 != 0)
            throw new ArgumentException("an ATA string field is a whole number of words", nameof(field));
        if (text.Length > field.Length)
            throw new ArgumentException($"'{text}' is longer than the {field.Length}-character field", nameof(text));
        for (int i = 0; i < field.Length; i++)
        {
            char c = i < text.Length ? text[i] : ' ';
            if (c < 0x20 || c > 0x7E)
                throw new ArgumentException($"'{text}' holds a character that is not printable ASCII", nameof(text));
            field[i ^ 1] = (byte)c;
        }
    }

    /// <summary>The text of a field, trailing padding removed.</summary>
    public static string Read(ReadOnlySpan<byte> field)
    {
        Span<char> chars = field.Length <= 256 ? stackalloc char[field.Length] : new char[field.Length];
        for (int i = 0; i < field.Length; i++)
            chars[i] = (char)field[i ^ 1];
        return new string(chars).TrimEnd(' ', '\0');
    }
}
