namespace PortalApp.Data;

/// <summary>Why a caregiver grant that staff have not ended does not work on a given day.</summary>
public enum CaregiverAccessPause
{
    None,
    PatientEnded,
    CaregiverEnded,
    PastEndDate,
}

/// <summary>
/// The one rule for "a caregiver grant works today", in two forms that must agree (CaregiverAccessRuleTests): a query for
/// the database and an in-memory check for rows already loaded with both client cards.
/// </summary>
public static class CaregiverAccessQueries
{
    /// <summary>
    /// Grants that work on <paramref name="today"/>: active, before their own end date, and neither the patient's nor
    /// the caregiver's client card end-dated. (A caregiver account's own card is checked by the caller.)
    /// </summary>
    public static IQueryable<CaregiverAccess> WorkingOn(this IQueryable<CaregiverAccess> accesses, DateOnly today) =>
        accesses.Where(a => a.Status == CaregiverAccessStatus.Active
            && (a.EndsOn == null || a.EndsOn > today)
            && (a.PatientClient.EndDate == null || a.PatientClient.EndDate > today)
            && (a.CaregiverClientId == null || a.CaregiverClient!.EndDate == null || a.CaregiverClient.EndDate > today));

    /// <summary>Needs <see cref="CaregiverAccess.PatientClient"/> and <see cref="CaregiverAccess.CaregiverClient"/> loaded.</summary>
    public static CaregiverAccessPause PauseOn(this CaregiverAccess access, DateOnly today) =>
        access.PatientClient.IsEndedOn(today) ? CaregiverAccessPause.PatientEnded
        : access.CaregiverClient?.IsEndedOn(today) == true ? CaregiverAccessPause.CaregiverEnded
        : access.EndsOn is { } endsOn && endsOn <= today ? CaregiverAccessPause.PastEndDate
        : CaregiverAccessPause.None;

    public static bool WorksOn(this CaregiverAccess access, DateOnly today) =>
        access.Status == CaregiverAccessStatus.Active && access.PauseOn(today) == CaregiverAccessPause.None;
}
