using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MimeKit;
using PortalApp.Email;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>The system clock moved on by a set amount: a bulk send's undo window passes without waiting for it.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _shiftTicks;

    public void MoveOn(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
}

/// <summary>Which loop of the bulk figure a piece of work belongs to; flows with the loop's awaits (AsyncLocal).</summary>
public enum BulkLoop { None, Runner, Dispatcher }

/// <summary>
/// Where the bulk figure's time goes, without touching the app's code or its logging: EF Core's own diagnostic events
/// (each command's and each transaction start's and commit's duration, so a wait for SQLite's write lock counts as
/// database time) summed per loop, and the SMTP sends timed by a wrapper round the app's transport.
/// </summary>
public sealed class BulkEmailProbes : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<BulkLoop> Current = new();
    private static readonly HashSet<string> Timed =
    [
        RelationalEventId.CommandExecuted.Name!, RelationalEventId.CommandError.Name!, RelationalEventId.TransactionStarted.Name!,
        RelationalEventId.TransactionCommitted.Name!, RelationalEventId.TransactionRolledBack.Name!,
    ];
    private readonly IDisposable _subscription;
    private readonly List<IDisposable> _listeners = [];
    private long _runnerDbTicks, _dispatcherDbTicks, _runnerBeginTicks, _dispatcherBeginTicks, _smtpTicks, _connections;

    public BulkEmailProbes() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

    public static void Enter(BulkLoop loop) => Current.Value = loop;

    public double RunnerDb => TimeSpan.FromTicks(Interlocked.Read(ref _runnerDbTicks)).TotalSeconds;
    public double DispatcherDb => TimeSpan.FromTicks(Interlocked.Read(ref _dispatcherDbTicks)).TotalSeconds;

    /// <summary>Of the database time, beginning transactions: on SQLite, BEGIN IMMEDIATE waiting for the one write lock.</summary>
    public double RunnerBegin => TimeSpan.FromTicks(Interlocked.Read(ref _runnerBeginTicks)).TotalSeconds;
    public double DispatcherBegin => TimeSpan.FromTicks(Interlocked.Read(ref _dispatcherBeginTicks)).TotalSeconds;
    public double Smtp => TimeSpan.FromTicks(Interlocked.Read(ref _smtpTicks)).TotalSeconds;
    public long Connections => Interlocked.Read(ref _connections);

    public void Reset()
    {
        Interlocked.Exchange(ref _runnerDbTicks, 0);
        Interlocked.Exchange(ref _dispatcherDbTicks, 0);
        Interlocked.Exchange(ref _runnerBeginTicks, 0);
        Interlocked.Exchange(ref _dispatcherBeginTicks, 0);
        Interlocked.Exchange(ref _smtpTicks, 0);
        Interlocked.Exchange(ref _connections, 0);
    }

    /// <summary>The app's transport, each send and each connection timed.</summary>
    public IEmailTransport Wrap(IEmailTransport inner) => new TimedTransport(inner, this);

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
            lock (_listeners)
                _listeners.Add(listener.Subscribe(this, Timed.Contains)); // only these: EF Core builds an event's data only when asked for it

    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        var duration = value.Value switch
        {
            CommandExecutedEventData executed => executed.Duration,
            CommandErrorEventData failed => failed.Duration,
            TransactionEndEventData ended => ended.Duration, // started (BEGIN, which waits for SQLite's lock), committed, rolled back
            _ => TimeSpan.Zero,
        };
        if (duration == TimeSpan.Zero)
            return;
        var begin = value.Key == RelationalEventId.TransactionStarted.Name;
        switch (Current.Value)
        {
            case BulkLoop.Runner:
                Interlocked.Add(ref _runnerDbTicks, duration.Ticks);
                if (begin)
                    Interlocked.Add(ref _runnerBeginTicks, duration.Ticks);
                break;
            case BulkLoop.Dispatcher:
                Interlocked.Add(ref _dispatcherDbTicks, duration.Ticks);
                if (begin)
                    Interlocked.Add(ref _dispatcherBeginTicks, duration.Ticks);
                break;
        }
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_listeners)
            _listeners.ForEach(l => l.Dispose());
    }

    private sealed class TimedTransport(IEmailTransport inner, BulkEmailProbes probes) : IEmailTransport
    {
        public async Task<IEmailSession> OpenAsync(CancellationToken ct)
        {
            var start = Stopwatch.GetTimestamp();
            var session = await inner.OpenAsync(ct);
            Interlocked.Add(ref probes._smtpTicks, Stopwatch.GetElapsedTime(start).Ticks);
            Interlocked.Increment(ref probes._connections);
            return new TimedSession(session, probes);
        }
    }

    private sealed class TimedSession(IEmailSession inner, BulkEmailProbes probes) : IEmailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var start = Stopwatch.GetTimestamp();
            try { await inner.SendAsync(message, ct); }
            finally { Interlocked.Add(ref probes._smtpTicks, Stopwatch.GetElapsedTime(start).Ticks); }
        }

        public async ValueTask DisposeAsync()
        {
            var start = Stopwatch.GetTimestamp();
            await inner.DisposeAsync();
            Interlocked.Add(ref probes._smtpTicks, Stopwatch.GetElapsedTime(start).Ticks);
        }
    }
}
