namespace ScriptDsl.Templates;

/// <summary>
/// The body of a compiled template: generated code writes the reply text into <paramref name="writer"/>,
/// reading names from <paramref name="scope"/>. No template text is parsed at run time.
/// </summary>
public delegate void TemplateBody(ref TemplateWriter writer, ScriptScope scope);

/// <summary>A reply template compiled from a .csdsl file.</summary>
/// <param name="Source">The template exactly as written in the script, for tooling and error messages.</param>
/// <param name="Body">The compiled body.</param>
public sealed record Template(string Source, TemplateBody Body)
{
    // One buffer per thread, taken while rendering (a nested Render finds none and uses its own):
    // unlike stackalloc it is not zeroed on every call, and it is allocated once per thread.
    [ThreadStatic]
    private static char[]? t_buffer;

    /// <summary>Renders the template; the only allocation is the returned string (the buffer is reused, growth is pooled).</summary>
    public string Render(ScriptScope scope)
    {
        var buffer = t_buffer ?? new char[512];
        t_buffer = null;
        var writer = new TemplateWriter(buffer);
        try
        {
            Body(ref writer, scope);
            return writer.ToString();
        }
        finally
        {
            writer.Dispose();
            t_buffer = buffer;
        }
    }
}
