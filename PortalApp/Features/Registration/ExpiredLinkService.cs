using PortalApp.Security;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Registration;

/// <summary>
/// "Email me a new link" on the unusable-link page. Only a genuine expired invite of a client who is still active
/// gets a fresh one, to the address on the client card, at most once per 15 minutes and 5 times a day
/// (EmailedLinkLimit). The request is only queued: the page answers the same, in the same time, either way.
/// </summary>
public sealed class ExpiredLinkService(
    IDbContextFactory<PortalDbContext> dbFactory, InviteService invites, TemplateService templates, ClinicClock clock, WorkQueue queue,
    ILogger<ExpiredLinkService> logger)
{
    /// <summary>Recorded as the sender of invites that patients asked for; shown on the staff tab.</summary>
    public static readonly StaffActor PatientRequest = new("patient-request", "Patient request (expired link)");

    public void Request(string? token)
    {
        if (SecretTokens.LooksLikeToken(token))
            queue.Enqueue("new invite link", (services, ct) => services.GetRequiredService<ExpiredLinkService>().SendAsync(token!, ct));
    }

    public async Task SendAsync(string token, CancellationToken ct = default)
    {
        var hash = SecretTokens.Hash(token);
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invite = await db.PortalInvites.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        var expired = invite is { Status: InviteStatus.Expired } or { Status: InviteStatus.Pending } && invite.ExpiresAtUtc <= now;
        // A caregiver's link is renewed by staff, who check the caregiver's details again.
        if (invite is null || !expired || invite.CaregiverAccessId is not null)
            return;
        var dayAgo = now.AddDays(-1);
        var sent = await db.PortalInvites.OwnedBy(invite.ClientId).Where(i => i.SentByUserId == PatientRequest.UserId && i.CreatedAtUtc > dayAgo)
            .Select(i => i.CreatedAtUtc).ToListAsync(ct);
        if (!EmailedLinkLimit.Allows(sent, now))
            return;
        var template = (await templates.ListAsync(TemplateKind.PortalInvite, ct)).FirstOrDefault(t => t.IsDefault);
        if (template is null)
            return;
        // SendAsync refuses ended clients, bad emails and registered patients on its own, and audits the send.
        var result = await invites.SendAsync(invite.ClientId, template.Id, PatientRequest, resend: true, ct);
        logger.LogInformation("Expired-link request for client {ClientId}: {Outcome}", invite.ClientId, result.GetType().Name);
    }
}
