using PortalApp.Security;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Invites;

/// <summary>Writing invites, the same for a patient's and a caregiver's: a fresh token goes only into the queued email.</summary>
public static class InviteRecords
{
    /// <summary>Older links stop working when a new one is sent: replaced while open, or expired if they had run out.</summary>
    public static void Supersede(IEnumerable<PortalInvite> open, DateTime now, StaffActor actor)
    {
        foreach (var old in open)
        {
            old.Status = old.ExpiresAtUtc > now ? InviteStatus.Superseded : InviteStatus.Expired;
            old.EndedAtUtc = now;
            old.EndedByName = actor.DisplayName;
        }
    }

    /// <summary>
    /// Queues <paramref name="content"/> (rendered with <see cref="OutboxEmail.SecretMarker"/> for the link) to
    /// <paramref name="to"/> with a new token, and adds the pending invite that holds only the token's hash and a
    /// masked copy of the email.
    /// </summary>
    public static PortalInvite AddPending(
        PortalDbContext db, EmailOutbox outbox, int patientId, CaregiverAccess? caregiver, (string Address, string Name, string Kind) to,
        MessageTemplate template, EmailContent content, StaffActor actor, DateTime now, DateTime expires)
    {
        var token = SecretTokens.NewToken();
        var email = outbox.Enqueue(db, new OutgoingEmail(to.Address, to.Name, content.Subject, content.Html, content.Text, to.Kind, patientId, Secret: token));
        return db.PortalInvites.Add(new PortalInvite
        {
            ClientId = patientId,
            CaregiverAccess = caregiver,
            TokenHash = SecretTokens.Hash(token),
            Status = InviteStatus.Pending,
            CreatedAtUtc = now,
            ExpiresAtUtc = expires,
            SentToEmail = to.Address.Trim(),
            SentByUserId = actor.UserId,
            SentByName = actor.DisplayName,
            TemplateId = template.Id,
            TemplateName = template.Name,
            Subject = content.Subject,
            BodyHtml = InviteEmailRenderer.Mask(content.Html),
            BodyText = InviteEmailRenderer.Mask(content.Text),
            OutboxEmail = email,
        }).Entity;
    }
}
