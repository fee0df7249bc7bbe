using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <param name="MobilePhone">As people read it (PhoneNumberRules.Display), e.g. "(416) 555-0101"; stored in E.164.</param>
public sealed record ClientSummary(
    int Id, string FirstName, string LastName, string? PreferredName, DateOnly DateOfBirth,
    string? Email, string? MobilePhone, DateOnly? EndDate)
{
    public string FullName => $"{FirstName} {LastName}";

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;
}

/// <param name="SearchWasCut">The search was longer than a search reads (<see cref="ClientSearchQuery.CutNotice"/>).</param>
public sealed record ClientPage(IReadOnlyList<ClientSummary> Items, int TotalCount, bool SearchWasCut = false);

/// <param name="MobilePhone">Stored form, E.164.</param>
/// <param name="MobilePhoneDisplay">The same number as the clinic reads it, e.g. "(416) 555-0101".</param>
public sealed record ClientDetailsView(
    int Id, string FirstName, string LastName, string? PreferredName, DateOnly DateOfBirth,
    string? Email, string? MobilePhone, DateOnly? EndDate, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, int Version,
    string? MobilePhoneDisplay = null, ClientAddress? Address = null, ClientLanguage PreferredLanguage = ClientLanguage.English,
    string? ExternalId = null, int? MergedIntoClientId = null)
{
    /// <summary>Cards merged into this one (their ids keep opening it).</summary>
    public IReadOnlyList<int> MergedCardIds { get; init; } = [];

    public string FullName => $"{FirstName} {LastName}";

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;

    public ClientEditModel ToEditModel() => new()
    {
        FirstName = FirstName,
        LastName = LastName,
        PreferredName = PreferredName,
        DateOfBirth = DateOfBirth.ToDateTime(TimeOnly.MinValue),
        Email = Email,
        MobilePhone = MobilePhoneDisplay ?? MobilePhone,
        StreetAddress = Address?.Street,
        City = Address?.City,
        Province = Address?.Province,
        PostalCode = Address?.PostalCode,
        PreferredLanguage = PreferredLanguage,
        EndDate = EndDate?.ToDateTime(TimeOnly.MinValue),
        Version = Version,
    };
}

/// <summary>A postal address; any part may be missing (the card was created without one, or an import left it out).</summary>
public sealed record ClientAddress(string? Street, string? City, string? Province, string? PostalCode)
{
    public bool IsEmpty => Street is null && City is null && Province is null && PostalCode is null;

    public override string ToString() =>
        string.Join(", ", new[] { Street, City, string.Join(" ", new[] { Province, PostalCode }.OfType<string>()) }.Where(p => !string.IsNullOrEmpty(p)));
}


/// <summary>The New client form and the Details tab's form. Dates are DateTime? because that is what MudDatePicker binds to.</summary>
public sealed class ClientEditModel
{
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? PreferredName { get; set; }
    public DateTime? DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? MobilePhone { get; set; }
    public string? StreetAddress { get; set; }
    public string? City { get; set; }
    public string? Province { get; set; }
    public string? PostalCode { get; set; }
    public ClientLanguage PreferredLanguage { get; set; }
    public DateTime? EndDate { get; set; }

    /// <summary>The version the form was loaded from; a save against a newer one is a conflict.</summary>
    public int Version { get; set; }
}

public abstract record ClientSaveResult
{
    /// <param name="Notice">What else the save did that staff must act on (e.g. invites cancelled by a new email address).</param>
    public sealed record Saved(ClientDetailsView Client, string? Notice = null) : ClientSaveResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : ClientSaveResult;
    public sealed record Conflict(string Message) : ClientSaveResult;
    public sealed record Unsaved(string Message) : ClientSaveResult;
    public sealed record NotFound : ClientSaveResult;
}

/// <summary>What the End date dialog chose: a day, or null to remove the end date.</summary>
public sealed record EndDateChoice(DateOnly? Date);
