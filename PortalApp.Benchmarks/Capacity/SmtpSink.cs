using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Storage;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>An SMTP server on 127.0.0.1 that accepts every message and counts it (the tests' server also parses each one).</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private int _received;

    public int Port { get; private set; }
    public int Received => Volatile.Read(ref _received);

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => listening.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new CountingStore(sink));
        var options = new SmtpServerOptionsBuilder().ServerName("smtp.bench").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0))).Build();
        sink._running = new SmtpServer.SmtpServer(options, services).StartAsync(sink._stop.Token);
        sink.Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class CountingStore(SmtpSink owner) : MessageStore
    {
        public override Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            Interlocked.Increment(ref owner._received);
            return Task.FromResult(SmtpServer.Protocol.SmtpResponse.Ok);
        }
    }
}
