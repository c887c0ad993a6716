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
    /// <summary>Renders the template; the only allocation is the returned string (longer replies grow into pooled arrays).</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the stack buffer is written before it is read: no need to zero it
    public string Render(ScriptScope scope)
    {
        var writer = new TemplateWriter(stackalloc char[256]);
        try
        {
            Body(ref writer, scope);
            return writer.ToString();
        }
        finally
        {
            writer.Dispose();
        }
    }
}
