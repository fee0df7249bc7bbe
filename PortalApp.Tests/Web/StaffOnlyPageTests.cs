using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>Someone refused a staff page is told so in words meant for them.</summary>
public sealed class StaffOnlyPageTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task A_patient_opening_a_staff_page_is_told_it_is_for_clinic_staff_and_given_the_way_back_to_the_portal()
    {
        var (_, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var patient = StaffClient.Anonymous(app.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(patient, email, PortalForms.PatientPassword)).StatusCode);

        var refused = await patient.GetAsync("/clients");
        var html = await PortalForms.TextAsync(await patient.GetAsync(refused.Headers.Location));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("This page is for clinic staff", html);
        Assert.Contains("href=\"/portal\"", html);
        Assert.Contains("Back to your portal", html);
        Assert.DoesNotContain("the role this page needs", html);
        Assert.DoesNotContain("href=\"/clients\"", html);
    }

    [Fact]
    public async Task A_staff_member_without_the_role_is_still_told_about_the_role()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var refused = await frontDesk.GetAsync("/admin/audit");
        var html = await PortalForms.TextAsync(await frontDesk.GetAsync(refused.Headers.Location));

        Assert.Contains("Your account does not have the role this page needs.", html);
        Assert.DoesNotContain("This page is for clinic staff", html);
    }
}
