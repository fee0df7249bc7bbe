using PortalApp.Components.Shared;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Templates;

/// <summary>The template editor's live preview and its "Send test to me": unsaved text, a chosen client's data.</summary>
public sealed class TemplatePreviewService(
    IDbContextFactory<PortalDbContext> dbFactory, TemplateRenderer renderer, TemplateEmails emails,
    ClinicSettingsService clinic, ClinicClock clock, EmailOutbox outbox, AuditLog audit)
{
    public const string SampleToken = "your-personal-link";

    public async Task<TemplateEmailResult> PreviewAsync(TemplateKind kind, string subject, string body, int? clientId, StaffActor actor, CancellationToken ct = default)
    {
        var errors = TemplateRules.Validate(renderer, kind, "preview", subject, body);
        if (errors.Count > 0)
            return new TemplateEmailResult.Failed(string.Join(" ", errors.Values));
        var settings = await clinic.GetAsync(ct);
        var patient = await PatientAsync(clientId, ct);
        var model = TemplateEmails.ModelFor(patient.FirstName, patient.PreferredName, patient.LastName, settings) with
        {
            StaffName = actor.DisplayName,
            InviteLink = settings.RegisterLink(SampleToken),
            InviteExpiresOn = Dates.FormatDay(clock.UtcNow.AddDays(settings.InviteExpiryDays), settings.TimeZone),
            SignInLink = settings.PatientSignInLink,
            CaregiverFirstName = "Sam",
            CaregiverLastName = "Sample",
            Relationship = CaregiverText.PatientAsSeenByCaregiver(CaregiverRelationship.ParentGuardian),
            Access = CaregiverText.LevelInWords(CaregiverAccessLevel.Full),
            FormTitles = "General health history and PHQ-9",
            AppointmentWhen = Dates.FormatDayAndTime(clock.UtcNow.AddDays(3), settings.TimeZone),
            FormsLink = settings.PatientFormsLink,
        };
        return await emails.ComposeAsync(subject, body, model, settings);
    }

    public async Task<Outcome> SendTestAsync(TemplateKind kind, string subject, string body, int? clientId, StaffActor actor, string? actorEmail, CancellationToken ct = default)
    {
        if (EmailAddressRules.Problem(actorEmail) is { } problem)
            return Outcome.Refuse($"Your staff account has no usable email address: {problem}");
        if (await PreviewAsync(kind, subject, body, clientId, actor, ct) is not TemplateEmailResult.Rendered { Content: var content })
            return Outcome.Refuse("Fix the template first: it cannot be rendered.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        outbox.Enqueue(db, new OutgoingEmail(actorEmail!, actor.DisplayName, "[Test] " + content.Subject, content.Html, content.Text, "template-test"));
        audit.Add(db, actor, AuditActions.TemplateTest, clientId, AuditOutcome.Succeeded, TemplatePlaceholders.Describe(kind));
        await db.SaveChangesAsync(ct);
        outbox.WakeDispatcher();
        return Outcome.Ok;
    }

    private async Task<(string FirstName, string? PreferredName, string LastName)> PatientAsync(int? clientId, CancellationToken ct)
    {
        if (clientId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var client = await db.Clients.AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { c.FirstName, c.PreferredName, c.LastName }).SingleOrDefaultAsync(ct);
            if (client is not null)
                return (client.FirstName, client.PreferredName, client.LastName);
        }
        return ("Alex", null, "Sample");
    }
}
