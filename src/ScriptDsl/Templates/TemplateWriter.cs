using System.Buffers;
using System.Globalization;

namespace ScriptDsl.Templates;

/// <summary>
/// Where compiled templates write: a growable char buffer that starts on the caller's stack and
/// moves to a pooled array when it outgrows it, so rendering allocates nothing but the result.
/// </summary>
public ref struct TemplateWriter
{
    private Span<char> _buffer;
    private char[]? _pooled;
    private int _length;

    public TemplateWriter(Span<char> initialBuffer)
    {
        _buffer = initialBuffer;
        _pooled = null;
        _length = 0;
    }

    public readonly int Length => _length;

    public void Append(string? text)
    {
        if (text is null)
        {
            return;
        }

        Append(text.AsSpan());
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _buffer.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_buffer[_length..]);
        _length += text.Length;
    }

    public void Append(char c)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = c;
    }

    public void AppendInt(long value)
    {
        // Formatted straight into the buffer: no temporary, no zeroed stack copy.
        const int MaxDigits = 20;
        if (_length + MaxDigits > _buffer.Length)
        {
            Grow(MaxDigits);
        }

        value.TryFormat(_buffer[_length..], out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Money as the seeds write it: whole yuan without decimals ("785"), otherwise two ("1.08"). Allocation-free.</summary>
    public void AppendMoney(long minorUnits)
    {
        if (_length + MoneyText.MaxLength > _buffer.Length)
        {
            Grow(MoneyText.MaxLength);
        }

        _length += MoneyText.Format(minorUnits, _buffer[_length..]);
    }

    /// <summary>A number slot's value when no text of it is at hand; invariant culture.</summary>
    public void AppendNumber(decimal value)
    {
        Span<char> digits = stackalloc char[32];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        Append(digits[..written]);
    }

    /// <summary>Scriban's <c>default</c> filter: <paramref name="fallback"/> when <paramref name="text"/> is null (an unfilled slot) or empty.</summary>
    public void AppendOrDefault(string? text, string fallback) => Append(string.IsNullOrEmpty(text) ? fallback : text);

    /// <summary>A date by the template format subset (yyyy, yy, M, MM, d, dd; other characters copied). See <see cref="DateText"/>.</summary>
    public void AppendDate(DateOnly date, string format) => DateText.Write(ref this, date, format);

    private void Grow(int needed)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + needed));
        _buffer[.._length].CopyTo(next);
        if (_pooled is not null)
        {
            ArrayPool<char>.Shared.Return(_pooled);
        }

        _pooled = next;
        _buffer = next;
    }

    public override readonly string ToString() => new(_buffer[.._length]);

    public void Dispose()
    {
        if (_pooled is not null)
        {
            ArrayPool<char>.Shared.Return(_pooled);
            _pooled = null;
        }

        _buffer = default;
        _length = 0;
    }
}
