using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// An SMTP server on 127.0.0.1 that accepts every message and counts it: just enough of RFC 5321 for MailKit (EHLO,
/// MAIL, RCPT, DATA, RSET, NOOP, QUIT), each answer written in one piece with Nagle off. Not the tests' SmtpServer
/// package: against it MailKit alone managed about 11 messages a second here (its answers meet TCP's delayed
/// acknowledgement), which would have measured the sink, not the outbox.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _received;

    private SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Received => Volatile.Read(ref _received);

    public static Task<SmtpSink> StartAsync() => Task.FromResult(new SmtpSink());

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
            while (await reader.ReadLineAsync(_stop.Token) is { } command)
            {
                var verb = command.Length >= 4 ? command[..4].ToUpperInvariant() : command.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO": await Answer("250 smtp.bench"); break;
                    case "DATA":
                        await Answer("354 end with <CRLF>.<CRLF>");
                        while (await reader.ReadLineAsync(_stop.Token) is { } line && line != ".") { }
                        Interlocked.Increment(ref _received);
                        await Answer("250 queued");
                        break;
                    case "QUIT": await Answer("221 bye"); return;
                    default: await Answer("250 ok"); break; // MAIL, RCPT, RSET, NOOP
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
