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

    /// <summary>A reminder's sample link is as long as a real one (a token is 43 characters), so a text message's length is counted right.</summary>
    public static readonly string SampleReminderToken = "your-personal-link".PadRight(Security.SecretTokens.TokenLength, 'x');

    public async Task<TemplateEmailResult> PreviewAsync(TemplateKind kind, string subject, string body, int? clientId, StaffActor actor,
        CancellationToken ct = default) => await PreviewAsync(kind, ClientLanguage.English, subject, body, clientId, actor, ct);

    public async Task<TemplateEmailResult> PreviewAsync(TemplateKind kind, ClientLanguage language, string subject, string body, int? clientId, StaffActor actor,
        CancellationToken ct = default)
    {
        var errors = TemplateRules.Validate(renderer, kind, "preview", subject, body);
        if (errors.Count > 0)
            return new TemplateEmailResult.Failed(string.Join(" ", errors.Values));
        var (settings, model) = await SampleAsync(language, clientId, actor, ct);
        return await emails.ComposeAsync(subject, body, model, settings);
    }

    /// <summary>A text message or a call as the patient would get it, with the sample link of a real link's length.</summary>
    public async Task<TemplateRenderResult> PreviewPlainTextAsync(TemplateKind kind, ClientLanguage language, string body, int? clientId, StaffActor actor,
        CancellationToken ct = default)
    {
        var errors = TemplateRules.Validate(renderer, kind, "preview", "", body);
        if (errors.Count > 0)
            return new TemplateRenderResult.Failed(string.Join(" ", errors.Values));
        var (_, model) = await SampleAsync(language, clientId, actor, ct);
        return await renderer.RenderPlainTextAsync(body, model);
    }

    private async Task<(ClinicView Settings, TemplateModel Model)> SampleAsync(ClientLanguage language, int? clientId, StaffActor actor, CancellationToken ct)
    {
        var settings = await clinic.GetAsync(ct);
        var patient = await PatientAsync(clientId, ct);
        var sample = TemplateEmails.ModelFor(patient.FirstName, patient.PreferredName, patient.LastName, settings) with
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
        // Three days from now at 9:30, clinic time: a reminder's usual distance.
        var day = DateOnly.FromDateTime(ClinicTime.ToWallClock(clock.UtcNow, settings.TimeZone)).AddDays(3);
        var start = ClinicTime.ToUtc(day.ToDateTime(new TimeOnly(9, 30)), settings.TimeZone) is ClinicTime.Conversion.Ok ok ? ok.Utc : clock.UtcNow.AddDays(3);
        var facts = new ReminderFacts(start, ["Dr. Sam Lee"], IsVideo: false, "Room 2", ["Follow-up"]);
        var model = ReminderValues.With(sample, facts, language, settings.TimeZone, await ShowsTypeAsync(ct),
            settings.AppointmentLink(SampleReminderToken));
        return (settings, model);
    }

    private async Task<bool> ShowsTypeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ReminderSettings.AsNoTracking().Select(s => s.ShowAppointmentType).FirstOrDefaultAsync(ct);
    }

    public async Task<Outcome> SendTestAsync(TemplateKind kind, ClientLanguage language, string subject, string body, int? clientId, StaffActor actor, string? actorEmail,
        CancellationToken ct = default)
    {
        if (TemplateKinds.IsPlainText(kind))
            return Outcome.Refuse("Only emails can be sent as a test: a text message or a call is shown in the preview.");
        if (EmailAddressRules.Problem(actorEmail) is { } problem)
            return Outcome.Refuse($"Your staff account has no usable email address: {problem}");
        if (await PreviewAsync(kind, language, subject, body, clientId, actor, ct) is not TemplateEmailResult.Rendered { Content: var content })
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
