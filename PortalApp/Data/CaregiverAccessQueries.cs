namespace PortalApp.Data;

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
}
