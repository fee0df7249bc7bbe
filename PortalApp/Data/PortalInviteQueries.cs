namespace PortalApp.Data;

public static class PortalInviteQueries
{
    /// <summary>The patient's own invites, not their caregivers'.</summary>
    public static IQueryable<PortalInvite> OwnedBy(this IQueryable<PortalInvite> invites, int clientId) =>
        invites.Where(i => i.ClientId == clientId && i.CaregiverAccessId == null);
}
