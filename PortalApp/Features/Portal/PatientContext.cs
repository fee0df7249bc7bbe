using System.Globalization;
using System.Security.Claims;

namespace PortalApp.Features.Portal;

public static class PatientContext
{
    /// <summary>The signed-in patient's client id: from their own cookie, never from the address or a form.</summary>
    public static int ClientId(ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(PatientAuth.ClientIdClaim) ?? throw new InvalidOperationException("Not a patient."), CultureInfo.InvariantCulture);
}
