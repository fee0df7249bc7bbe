using System.Text.Json;
using PortalApp.Data;

namespace PortalApp.Features.Bulk;

/// <summary>Who a bulk send is for, as staff chose it. Stored as JSON on the send, so the report says how it was picked.</summary>
public sealed record BulkAudienceFilter(
    BulkAudienceKind Kind,
    DateOnly? FromDay = null,
    DateOnly? ToDay = null,
    int? PractitionerId = null,
    int? AppointmentTypeId = null,
    IReadOnlyList<int>? ClientIds = null)
{
    public const int MaxHandPicked = 5_000, MaxRangeDays = 366;

    /// <summary>What is wrong with the filter, in words staff act on; null when it can be used.</summary>
    public string? Problem() => Kind switch
    {
        BulkAudienceKind.Appointments when FromDay is null || ToDay is null => "Enter the first and the last day of the appointments.",
        BulkAudienceKind.Appointments when ToDay < FromDay => "The last day comes before the first day.",
        BulkAudienceKind.Appointments when ToDay!.Value.DayNumber - FromDay!.Value.DayNumber >= MaxRangeDays => $"Pick at most {MaxRangeDays} days of appointments.",
        BulkAudienceKind.HandPicked when ClientIds is not { Count: > 0 } => "Pick at least one patient.",
        BulkAudienceKind.HandPicked when ClientIds!.Count > MaxHandPicked => $"Pick at most {MaxHandPicked:N0} patients by hand; use a filter for more.",
        _ when !Enum.IsDefined(Kind) => "Choose who the message is for.",
        _ => null,
    };

    /// <summary>A bulk invite goes to patients without a portal account; the other audiences get messages, or invites by email.</summary>
    public static string? ChannelProblem(BulkAudienceKind kind, BulkChannel channel) => (kind, channel) switch
    {
        (BulkAudienceKind.NotYetInvited or BulkAudienceKind.InviteExpired, not BulkChannel.Invite) =>
            "Patients who are not yet invited, or whose invite expired, get a portal invite: choose Portal invite.",
        (BulkAudienceKind.PortalAccounts, BulkChannel.Invite) => "Patients with a portal account already have one: choose a message channel.",
        _ => null,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static BulkAudienceFilter FromJson(string json) =>
        JsonSerializer.Deserialize<BulkAudienceFilter>(json, JsonOptions) ?? throw new InvalidOperationException("Empty audience.");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
