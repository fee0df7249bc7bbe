namespace PortalApp.Data;

/// <summary>The patient record staff see as the client card.</summary>
public class Client
{
    public int Id { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? PreferredName { get; set; }
    public DateOnly DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? MobilePhone { get; set; }

    /// <summary>Digits of <see cref="MobilePhone"/> only, so "(416) 555-0101" is found by "4165550101".</summary>
    public string? MobilePhoneDigits { get; set; }

    /// <summary>From this day on (clinic time) the client is no longer active.</summary>
    public DateOnly? EndDate { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Optimistic concurrency: bumped on every save so two staff editing at once cannot overwrite each other.</summary>
    public int Version { get; set; }

    public List<Appointment> Appointments { get; set; } = [];

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;
}
