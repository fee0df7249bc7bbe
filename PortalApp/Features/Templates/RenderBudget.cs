using System.Diagnostics;

namespace PortalApp.Features.Templates;

/// <summary>
/// One render's limits on time and output, shared by its writers and (through Fluid's ambient values) its filters,
/// which are the only places an allowed template spends time: a render that overruns either stops with an exception
/// the renderer turns into a message.
/// </summary>
internal sealed class RenderBudget(TimeSpan time, int maxOutputLength)
{
    private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);

    public void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
            throw new TooSlowException();
    }

    public StringWriter Writer() => new BoundedStringWriter(this, maxOutputLength);

    public sealed class TooSlowException : Exception;

    public sealed class OutputTooLongException : Exception;

    private sealed class BoundedStringWriter(RenderBudget budget, int limit) : StringWriter
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(string? value)
        {
            Check(value?.Length ?? 0);
            return base.WriteAsync(value);
        }

        public override Task WriteAsync(char value)
        {
            Check(1);
            return base.WriteAsync(value);
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Check(count);
            return base.WriteAsync(buffer, index, count);
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        private void Check(int adding)
        {
            budget.Check();
            if (GetStringBuilder().Length + adding > limit)
                throw new OutputTooLongException();
        }
    }
}
