using System.Net;
using PortalApp.Features.Import;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Import;

/// <summary>The export downloads through the whole app: admins get the demo clinic's records, other staff a plain 403.</summary>
public sealed class ExportEndpointTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task An_admin_downloads_clients_and_appointments_with_the_import_columns_and_a_bom()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var clients = await admin.GetAsync(ExportEndpoint.ClientsPath);
        var appointments = await admin.GetAsync(ExportEndpoint.AppointmentsPath);

        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
        Assert.Equal("text/csv", clients.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("clients-", clients.Content.Headers.ContentDisposition!.FileNameStar ?? clients.Content.Headers.ContentDisposition.FileName);
        var bytes = await clients.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith(string.Join(',', ImportFields.Clients.Select(f => f.Name)), System.Text.Encoding.UTF8.GetString(bytes[3..]));
        Assert.StartsWith(string.Join(',', ImportFields.Appointments.Select(f => f.Name)) + "\r\n", (await appointments.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
    }

    [Theory]
    [InlineData("frontdesk@demo.clinic")]
    [InlineData("practitioner@demo.clinic")]
    public async Task Other_staff_get_403_and_no_rows(string email)
    {
        var staff = await StaffClient.SignedInAsync(app.Factory, email);

        foreach (var path in new[] { ExportEndpoint.ClientsPath, ExportEndpoint.AppointmentsPath })
        {
            var response = await staff.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("First name", await response.Content.ReadAsStringAsync());
        }
    }
}
