using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Invites;

/// <summary>An invite template with this patient's data, in the clinic's email layout.</summary>
public sealed class InviteEmailRenderer(TemplateEmails emails, ClinicSettingsService clinic)
{
    /// <summary>Stands in for the token in a preview and in the stored copy: the real one is never shown or kept.</summary>
    public const string PreviewToken = "your-personal-link";

    public Task<TemplateEmailResult> RenderAsync(MessageTemplate template, Client client, StaffActor actor, string token, DateTime expiresAtUtc) =>
        RenderAsync(template, client, actor, token, expiresAtUtc, model => model);

    /// <summary>A caregiver invite: the patient is <paramref name="patient"/>; the email speaks to the caregiver.</summary>
    public Task<TemplateEmailResult> RenderForCaregiverAsync(
        MessageTemplate template, Client patient, string caregiverFirstName, string caregiverLastName,
        CaregiverRelationship relationship, CaregiverAccessLevel level, StaffActor actor, string token, DateTime expiresAtUtc) =>
        RenderAsync(template, patient, actor, token, expiresAtUtc, model => model with
        {
            CaregiverFirstName = caregiverFirstName,
            CaregiverLastName = caregiverLastName,
            Relationship = CaregiverText.PatientAsSeenByCaregiver(relationship),
            Access = CaregiverText.LevelInWords(level),
        });

    private async Task<TemplateEmailResult> RenderAsync(
        MessageTemplate template, Client client, StaffActor actor, string token, DateTime expiresAtUtc, Func<TemplateModel, TemplateModel> extend)
    {
        var settings = await clinic.GetAsync();
        var model = extend(TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, settings) with
        {
            StaffName = actor.DisplayName,
            InviteLink = settings.RegisterLink(token),
            InviteExpiresOn = Dates.FormatDay(expiresAtUtc, settings.TimeZone),
        });
        return await emails.ComposeAsync(template.Subject, template.Body, model, settings) switch
        {
            TemplateEmailResult.Failed failed => new TemplateEmailResult.Failed($"The template '{template.Name}' cannot be used: {failed.Problem}"),
            var rendered => rendered,
        };
    }

    public static string Mask(string body) => body.Replace(OutboxEmail.SecretMarker, PreviewToken, StringComparison.Ordinal);
}
