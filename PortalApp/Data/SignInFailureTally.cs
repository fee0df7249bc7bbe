namespace PortalApp.Data;

/// <summary>
/// Failed sign-ins with an email that has no account of that kind, counted per hour instead of one audit row each: a
/// spray of made-up addresses adds at most one row an hour to the database.
/// </summary>
public class SignInFailureTally
{
    public long Id { get; set; }
    public DateTime HourStartUtc { get; set; }
    public SessionKind Portal { get; set; }
    public int Count { get; set; }
}
