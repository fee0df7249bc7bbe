using PortalApp.Data;

namespace PortalApp.Features.Bulk;

/// <summary>How staff pages (compose, the list, the send and its report) name channels, purposes and audiences, and says what each does.</summary>
public static class BulkChannelText
{
    public static string Name(BulkChannel channel) => channel switch
    {
        BulkChannel.Portal => "Portal message",
        BulkChannel.Email => "Email",
        BulkChannel.Sms => "Text message",
        BulkChannel.Voice => "Voice call",
        _ => "Portal invite",
    };

    /// <summary>For "This sends … to N patients".</summary>
    public static string Sentence(BulkChannel channel) => channel switch
    {
        BulkChannel.Portal => "a portal message",
        BulkChannel.Email => "an email",
        BulkChannel.Sms => "a text message",
        BulkChannel.Voice => "a voice call",
        _ => "a portal invite",
    };

    public static string Explain(BulkChannel channel) => channel switch
    {
        BulkChannel.Portal => "With the usual notice email: nothing clinical leaves the portal.",
        BulkChannel.Email => "The message itself goes by email.",
        BulkChannel.Sms => "A text to the patient's mobile; sent outside the clinic's quiet hours.",
        BulkChannel.Voice => "A call that reads the message out; outside the clinic's quiet hours.",
        _ => "The usual portal invite email, for patients without an account.",
    };

    public static string Name(BulkPurpose purpose) => purpose == BulkPurpose.Care ? "Care and service" : "Promotional";

    public static string Explain(BulkPurpose purpose) => purpose == BulkPurpose.Care
        ? "About the patient's care or the clinic's service, such as a closure or a change to bookings."
        : "A flu clinic, a new service, a newsletter: only patients with consent, always with an unsubscribe; by email or text only.";

    public static string Name(BulkAudienceKind kind) => kind switch
    {
        BulkAudienceKind.PortalAccounts => "All patients with a portal account",
        BulkAudienceKind.Appointments => "Patients with appointments in a date range",
        BulkAudienceKind.NotYetInvited => "Patients not yet invited",
        BulkAudienceKind.InviteExpired => "Patients whose invite expired",
        _ => "Patients picked by hand",
    };
}
