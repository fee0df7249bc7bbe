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
    private int _clientId;
    private int _templateId;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchmarkHost.StartAsync();
        _invites = _host.Scoped<InviteService>();
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var client = db.Clients.Add(new Client
        {
            FirstName = "Emma", LastName = "Smith", DateOfBirth = new DateOnly(1984, 3, 7), Email = "emma@example.com",
            CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        _clientId = client.Id;
        _templateId = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault).Id;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _host.DisposeAsync();

    [Benchmark(Description = "Preview re-render (template change)")]
    public async Task<InviteEmailResult> Preview() => await _invites.PreviewAsync(_clientId, _templateId, BenchmarkHost.Staff);

    [Benchmark(Description = "Send (re-send: supersede, record, queue email)")]
    public async Task<InviteSendResult> Send() => await _invites.SendAsync(_clientId, _templateId, BenchmarkHost.Staff, resend: true);
}
