using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// An SMTP server on 127.0.0.1 that accepts every message and counts it: just enough of RFC 5321 for MailKit (EHLO,
/// MAIL, RCPT, DATA, RSET, NOOP, QUIT), each answer written in one piece with Nagle off. Not the tests' SmtpServer
/// package: against it MailKit alone managed about 11 messages a second here (its answers meet TCP's delayed
/// acknowledgement), which would have measured the sink, not the outbox. It also counts what each recipient was sent
/// (to prove every message went exactly once) and can keep the messages as sent (for a baseline that replays them).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _received;
    private ConcurrentDictionary<string, int> _delivered = new(StringComparer.OrdinalIgnoreCase);
    private ConcurrentQueue<string>? _kept;

    private SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Received => Volatile.Read(ref _received);

    public static Task<SmtpSink> StartAsync() => Task.FromResult(new SmtpSink());

    /// <summary>How many messages each recipient has been sent since the last call; the count starts again.</summary>
    public IReadOnlyDictionary<string, int> TakeDelivered() => Interlocked.Exchange(ref _delivered, new(StringComparer.OrdinalIgnoreCase));

    /// <summary>From now on, keep every message as it arrived (dot-stuffing undone) until <see cref="TakeKept"/>.</summary>
    public void Keep() => _kept = new ConcurrentQueue<string>();

    public IReadOnlyList<string> TakeKept() => [.. Interlocked.Exchange(ref _kept, null) ?? []];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            socket.NoDelay = true;
            _ = SessionAsync(socket);
        }
    }

    private async Task SessionAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task Answer(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), _stop.Token);
        try
        {
            await Answer("220 smtp.bench ready");
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } command)
            {
                var verb = command.Length >= 4 ? command[..4].ToUpperInvariant() : command.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO": await Answer("250 smtp.bench"); break;
                    case "RCPT":
                        var (open, close) = (command.IndexOf('<'), command.LastIndexOf('>'));
                        recipients.Add(open >= 0 && close > open ? command[(open + 1)..close] : command);
                        await Answer("250 ok");
                        break;
                    case "MAIL" or "RSET": recipients.Clear(); await Answer("250 ok"); break;
                    case "DATA":
                        await Answer("354 end with <CRLF>.<CRLF>");
                        var kept = _kept is null ? null : new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } line && line != ".")
                            kept?.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
                        Interlocked.Increment(ref _received);
                        foreach (var recipient in recipients)
                            _delivered.AddOrUpdate(recipient, 1, (_, n) => n + 1);
                        if (kept is not null)
                            _kept?.Enqueue(kept.ToString());
                        await Answer("250 queued");
                        break;
                    case "QUIT": await Answer("221 bye"); return;
                    default: await Answer("250 ok"); break; // NOOP
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
