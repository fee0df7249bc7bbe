using PortalApp.Security;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Audit;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Registration;

/// <summary>
/// "Email me a new link" on the unusable-link page. Only a genuine expired invite of a client who is still active
/// gets a fresh one, at most once a day, to the address on the client card; the caller says the same thing either way.
/// </summary>
public sealed class ExpiredLinkService(
    IDbContextFactory<PortalDbContext> dbFactory, InviteService invites, TemplateService templates, ClinicClock clock, ILogger<ExpiredLinkService> logger)
{
    /// <summary>Recorded as the sender of invites that patients asked for; shown on the staff tab.</summary>
    public static readonly StaffActor PatientRequest = new("patient-request", "Patient request (expired link)");

    public async Task RequestAsync(string? token, CancellationToken ct = default)
    {
        if (token is not { Length: 43 })
            return;
        var hash = SecretTokens.Hash(token);
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invite = await db.PortalInvites.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        var expired = invite is { Status: InviteStatus.Expired } or { Status: InviteStatus.Pending } && invite.ExpiresAtUtc <= now;
        // A caregiver's link is renewed by staff, who check the caregiver's details again.
        if (invite is null || !expired || invite.CaregiverAccessId is not null)
            return;
        var dayAgo = now.AddDays(-1);
        if (await db.PortalInvites.OwnedBy(invite.ClientId).AnyAsync(i => i.SentByUserId == PatientRequest.UserId && i.CreatedAtUtc > dayAgo, ct))
            return;
        var template = (await templates.ListAsync(TemplateKind.PortalInvite, ct)).FirstOrDefault(t => t.IsDefault);
        if (template is null)
            return;
        // SendAsync refuses ended clients, bad emails and registered patients on its own, and audits the send.
        var result = await invites.SendAsync(invite.ClientId, template.Id, PatientRequest, resend: true, ct);
        logger.LogInformation("Expired-link request for client {ClientId}: {Outcome}", invite.ClientId, result.GetType().Name);
    }
}
