using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Storage;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// One message as the server received it: the SMTP envelope's recipients, the parsed MIME message, and its bytes as
/// they came over the wire (how headers were folded, which parsing hides).
/// </summary>
public sealed record ReceivedEmail(Guid SessionId, IReadOnlyList<string> EnvelopeTo, MimeMessage Message, byte[] Raw);

/// <summary>
/// A real SMTP server in the test process, on 127.0.0.1 and a port of its own. Recipients whose address starts with
/// "reject" are refused for good (550). It can be stopped and started again on the same port, to stand in for a mail
/// server that goes down and comes back, and it can hold a message before accepting it (<see cref="BeforeAccept"/>).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<ReceivedEmail> _received = [];
    private readonly List<(Func<IReadOnlyList<ReceivedEmail>, bool> Enough, TaskCompletionSource Done)> _waiters = [];
    private CancellationTokenSource? _stop;
    private Task? _running;
    private int _sessions;

    private SmtpTestServer() { }

    /// <summary>
    /// Runs for each message once it has arrived whole and before the server answers it (to hold it). False refuses it
    /// (554) and it is not recorded: a server that had not said 250 when its client went away has not taken the message.
    /// </summary>
    public Func<MimeMessage, Task<bool>>? BeforeAccept { get; set; }

    /// <summary>Runs for each recipient a client offers (RCPT TO), before any of that message's content has come.</summary>
    public Action<string>? RecipientOffered { get; set; }

    /// <summary>0 until the first start, which takes a free port from the OS; later starts reuse it.</summary>
    public int Port { get; private set; }

    /// <summary>SMTP connections accepted so far, across restarts.</summary>
    public int SessionCount => Volatile.Read(ref _sessions);

    public IReadOnlyList<ReceivedEmail> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    public static async Task<SmtpTestServer> StartNewAsync()
    {
        var server = new SmtpTestServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (_running is not null)
            throw new InvalidOperationException("The SMTP test server is already running.");
        // SmtpServer raises EndpointStarted right after its TcpListener.Start(): that is the "listening" signal, so no
        // connect probe is needed (a probe would also show up as a session and spoil SessionCount). Binding port 0
        // the first time lets the OS pick a free port with no window for another test to take it.
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => listening.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new RecordingStore(this));
        services.Add(new RejectingFilter(this));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);

        _stop = new CancellationTokenSource();
        _running = server.StartAsync(_stop.Token);
        if (await Task.WhenAny(listening.Task, _running).WaitAsync(DefaultWait) != listening.Task)
        {
            var failed = _running;
            _running = null;
            await failed; // e.g. the port was taken while stopped: throws the bind error
            throw new InvalidOperationException("The SMTP test server stopped before it listened.");
        }
        Port = await listening.Task;
    }

    /// <summary>Closes the port and ends open sessions; connecting afterwards is refused.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
            return;
        await _stop!.CancelAsync();
        // StartAsync's task ends once the listener is closed and the open sessions (cancelled too) are over.
        try { await _running.WaitAsync(DefaultWait); }
        catch (OperationCanceledException) { }
        _running = null;
        _stop.Dispose();
    }

    /// <summary>Completes once at least <paramref name="count"/> messages have arrived; throws after the timeout.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        try
        {
            return await WaitUntilAsync(received => received.Count >= count, timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {count} messages at the SMTP test server, received {Received.Count}.");
        }
    }

    /// <summary>
    /// The first message to <paramref name="address"/>, once it has arrived (other messages may come before it, e.g. the
    /// app's own to other people); throws after the timeout.
    /// </summary>
    public async Task<ReceivedEmail> WaitForMessageToAsync(string address, TimeSpan? timeout = null)
    {
        bool IsFor(ReceivedEmail email) => email.EnvelopeTo.Contains(address, StringComparer.OrdinalIgnoreCase);
        try
        {
            return (await WaitUntilAsync(received => received.Any(IsFor), timeout)).First(IsFor);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No message to {address} reached the SMTP test server; it received {Received.Count} for others.");
        }
    }

    private async Task<IReadOnlyList<ReceivedEmail>> WaitUntilAsync(Func<IReadOnlyList<ReceivedEmail>, bool> enough, TimeSpan? timeout)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (enough(_received))
                return [.. _received];
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((enough, done));
        }
        await done.Task.WaitAsync(timeout ?? DefaultWait);
        return Received;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private void Record(ReceivedEmail email)
    {
        lock (_lock)
        {
            _received.Add(email);
            foreach (var waiter in _waiters.Where(w => w.Enough(_received)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class RecordingStore(SmtpTestServer owner) : MessageStore
    {
        public override async Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            var raw = buffer.ToArray();
            using var stream = new MemoryStream(raw);
            var message = await MimeMessage.LoadAsync(stream, ct);
            if (owner.BeforeAccept is { } hook && !await hook(message))
                return SmtpServer.Protocol.SmtpResponse.TransactionFailed;
            owner.Record(new ReceivedEmail(context.SessionId, transaction.To.Select(m => m.AsAddress()).ToList(), message, raw));
            return SmtpServer.Protocol.SmtpResponse.Ok;
        }
    }

    private sealed class RejectingFilter(SmtpTestServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken ct) =>
            Task.FromResult(true);

        // Refusing here makes SmtpServer answer RCPT TO with "550 mailbox unavailable".
        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken ct)
        {
            owner.RecipientOffered?.Invoke(to.AsAddress());
            return Task.FromResult(!to.User.StartsWith("reject", StringComparison.OrdinalIgnoreCase));
        }
    }
}
