namespace PortalApp.Data;

public enum ClientLanguage
{
    English,
    French,
}

public static class ClientLanguages
{
    private static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-CA");
    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-CA");

    /// <summary>The culture dates and times are written in for a patient of this language (Canadian English or French).</summary>
    public static System.Globalization.CultureInfo Culture(this ClientLanguage language) => language == ClientLanguage.French ? French : English;
}

/// <summary>The patient record staff see as the client card.</summary>
public class Client
{
    public int Id { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? PreferredName { get; set; }
    public DateOnly DateOfBirth { get; set; }
    public string? Email { get; set; }

    /// <summary>E.164 (e.g. +14165550101), parsed with the clinic's phone region; text-message reminders dial it as is.</summary>
    public string? MobilePhone { get; set; }

    /// <summary>Digits of <see cref="MobilePhone"/> only, so "(416) 555-0101" is found by "4165550101".</summary>
    public string? MobilePhoneDigits { get; set; }

    public string? StreetAddress { get; set; }
    public string? City { get; set; }
    public string? Province { get; set; }
    public string? PostalCode { get; set; }

    public ClientLanguage PreferredLanguage { get; set; }

    /// <summary>The channels the client wants appointment reminders on, e.g. "Email,Sms"; null: every channel the clinic has on.</summary>
    public string? ReminderChannels { get; set; }

    /// <summary>When the client opted out of reminder emails, texts (their own STOP reply sets it) or calls; null: not opted out.</summary>
    public DateTime? EmailOptOutAtUtc { get; set; }
    public DateTime? SmsOptOutAtUtc { get; set; }
    public DateTime? VoiceOptOutAtUtc { get; set; }

    /// <summary>
    /// Express consent to promotional messages (CASL): when it was recorded, and how ("Signed the intake form").
    /// Without it, an existing patient's implied consent lasts two years after their last visit.
    /// </summary>
    public DateTime? PromotionalConsentAtUtc { get; set; }
    public string? PromotionalConsentSource { get; set; }

    /// <summary>When the client withdrew from promotional messages, and how (an unsubscribe link, a one-click unsubscribe, staff).</summary>
    public DateTime? PromotionalOptOutAtUtc { get; set; }
    public string? PromotionalOptOutVia { get; set; }

    /// <summary>The client's id in the system the clinic imported from; re-importing the same row updates this card.</summary>
    public string? ExternalId { get; set; }

    /// <summary>From this day on (clinic time) the client is no longer active.</summary>
    public DateOnly? EndDate { get; set; }

    /// <summary>Set when this card was merged into another: its id keeps resolving to the survivor.</summary>
    public int? MergedIntoClientId { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Optimistic concurrency: bumped on every save so two staff editing at once cannot overwrite each other.</summary>
    public int Version { get; set; }

    public List<Appointment> Appointments { get; set; } = [];

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;
}
