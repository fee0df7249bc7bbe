using BenchmarkDotNet.Attributes;
using PortalApp.Data;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 3's figures: the preview re-render (p95 under 2 ms) and Send returning without waiting for SMTP
/// (p95 under 10 ms). Real services, real SQLite file in WAL mode; the dispatcher is not running.
/// </summary>
[MemoryDiagnoser]
public class InviteBenchmarks
{
    private BenchmarkHost _host = null!;
    private InviteService _invites = null!;
    private int[] _clientIds = [];
    private int _next;
    private int _templateId;
    private int ClientId => _clientIds[0];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        _invites = _host.Scoped<InviteService>();
        // A clinic-sized table: sends go round many patients, so no one patient piles up thousands of invites.
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var clients = Enumerable.Range(0, 5_000).Select(i => new Client
        {
            FirstName = "Emma", LastName = $"Smith{i}", DateOfBirth = new DateOnly(1984, 3, 7), Email = $"emma{i}@example.com",
            CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).ToList();
        db.Clients.AddRange(clients);
        await db.SaveChangesAsync();
        _clientIds = clients.Select(c => c.Id).ToArray();
        _templateId = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault).Id;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _host.DisposeAsync();

    [Benchmark(Description = "Preview re-render (template change)")]
    public async Task<TemplateEmailResult> Preview() => await _invites.PreviewAsync(ClientId, _templateId, BenchmarkHost.Staff);

    [Benchmark(Description = "Send (re-send: supersede, record, queue email)")]
    public async Task<InviteSendResult> Send() =>
        await _invites.SendAsync(_clientIds[_next++ % _clientIds.Length], _templateId, BenchmarkHost.Staff, resend: true);
}
