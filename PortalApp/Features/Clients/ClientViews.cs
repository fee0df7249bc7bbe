using PortalApp.Data;

namespace PortalApp.Features.Clients;

public sealed record ClientSummary(
    int Id, string FirstName, string LastName, string? PreferredName, DateOnly DateOfBirth,
    string? Email, string? MobilePhone, DateOnly? EndDate)
{
    public string FullName => $"{FirstName} {LastName}";

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;
}

/// <param name="SearchWasCut">The search was longer than a search reads (<see cref="ClientSearchQuery.CutNotice"/>).</param>
public sealed record ClientPage(IReadOnlyList<ClientSummary> Items, int TotalCount, bool SearchWasCut = false);

public sealed record ClientDetailsView(
    int Id, string FirstName, string LastName, string? PreferredName, DateOnly DateOfBirth,
    string? Email, string? MobilePhone, DateOnly? EndDate, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, int Version)
{
    public string FullName => $"{FirstName} {LastName}";

    public bool IsEndedOn(DateOnly today) => EndDate is { } end && end <= today;

    public ClientEditModel ToEditModel() => new()
    {
        FirstName = FirstName,
        LastName = LastName,
        PreferredName = PreferredName,
        DateOfBirth = DateOfBirth.ToDateTime(TimeOnly.MinValue),
        Email = Email,
        MobilePhone = MobilePhone,
        EndDate = EndDate?.ToDateTime(TimeOnly.MinValue),
        Version = Version,
    };
}

/// <summary>The Details tab's form. Dates are DateTime? because that is what MudDatePicker binds to.</summary>
public sealed class ClientEditModel
{
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? PreferredName { get; set; }
    public DateTime? DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? MobilePhone { get; set; }
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
