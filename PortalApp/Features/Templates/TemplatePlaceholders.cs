using PortalApp.Data;

namespace PortalApp.Features.Templates;

public sealed record Placeholder(string Path, string Meaning);

/// <summary>Everything a template may name, per kind. Nothing else reaches a template.</summary>
public static class TemplatePlaceholders
{
    public const string InviteLink = "invite_link";

    private static readonly Placeholder[] Common =
    [
        new("patient.first_name", "The patient's first name"),
        new("patient.preferred_name", "The name the patient likes to be called (their first name when none is set)"),
        new("patient.last_name", "The patient's last name"),
        new("clinic.name", "The clinic's name"),
        new("clinic.phone", "The clinic's phone number"),
        new("clinic.address", "The clinic's address"),
    ];

    public static IReadOnlyList<Placeholder> For(TemplateKind kind) => kind switch
    {
        TemplateKind.PortalInvite =>
        [
            .. Common,
            new(InviteLink, "The patient's personal registration link (required)"),
            new("invite_expires_on", "The day the link stops working, e.g. Wednesday 11 March 2026"),
            new("staff.name", "The staff member sending the invite"),
        ],
        TemplateKind.PortalMessageNotification =>
        [
            .. Common,
            new("sign_in_link", "The portal's sign-in page"),
        ],
        TemplateKind.PortalMessage =>
        [
            .. Common,
            new("staff.name", "The staff member writing the message"),
        ],
        TemplateKind.CaregiverInvite =>
        [
            .. Common,
            new("caregiver.first_name", "The caregiver's first name"),
            new("caregiver.last_name", "The caregiver's last name"),
            new("relationship", "Who the patient is to the caregiver, e.g. your child"),
            new("access", "What the caregiver will see: appointments, messages and intake forms, or appointments only"),
            new(InviteLink, "The caregiver's personal registration link (required)"),
            new("invite_expires_on", "The day the link stops working, e.g. Wednesday 11 March 2026"),
            new("staff.name", "The staff member sending the invite"),
        ],
        _ => Common,
    };

    /// <summary>A template of this kind is refused unless it uses these.</summary>
    public static IReadOnlyList<string> RequiredFor(TemplateKind kind) =>
        kind is TemplateKind.PortalInvite or TemplateKind.CaregiverInvite ? [InviteLink] : [];

    public static string Describe(TemplateKind kind) => kind switch
    {
        TemplateKind.PortalInvite => "Portal invite",
        TemplateKind.PortalMessageNotification => "Portal message notification",
        TemplateKind.PortalMessage => "Portal message",
        TemplateKind.CaregiverInvite => "Caregiver invite",
        _ => kind.ToString(),
    };
}
