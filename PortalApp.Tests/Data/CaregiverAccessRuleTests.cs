using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

/// <summary>"A caregiver grant works today" has a query form and an in-memory form: they must never disagree.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverAccessRuleTests
{
    [Fact]
    public async Task The_query_and_the_in_memory_check_agree_on_every_combination()
    {
        await using var host = await ServiceTestHost.StartAsync();
        var today = new DateOnly(2026, 3, 4);
        DateOnly?[] ends = [null, today.AddDays(-1), today, today.AddDays(1)];
        await using (var db = await host.DbAsync())
        {
            foreach (var patientEnd in ends)
            foreach (var caregiverEnd in ends.Append(DateOnly.MinValue)) // MinValue: no caregiver card at all
            foreach (var accessEnd in ends)
            foreach (var status in Enum.GetValues<CaregiverAccessStatus>())
            {
                var patient = db.Clients.Add(NewClient("Pat", patientEnd)).Entity;
                var carer = caregiverEnd == DateOnly.MinValue ? null : db.Clients.Add(NewClient("Cam", caregiverEnd)).Entity;
                db.CaregiverAccesses.Add(new CaregiverAccess
                {
                    PatientClient = patient, CaregiverClient = carer, FirstName = "Cam", LastName = "Carer", Email = "cam@example.com",
                    NormalizedEmail = "CAM@EXAMPLE.COM", Status = status, EndsOn = accessEnd, CreatedByUserId = "x", CreatedByName = "x",
                });
            }
            await db.SaveChangesAsync();
        }

        await using var read = await host.DbAsync();
        var all = await read.CaregiverAccesses.AsNoTracking().Include(a => a.PatientClient).Include(a => a.CaregiverClient).ToListAsync();
        var byQuery = (await read.CaregiverAccesses.WorkingOn(today).Select(a => a.Id).ToListAsync()).ToHashSet();
        var inMemory = all.Where(a => a.WorksOn(today)).Select(a => a.Id).ToHashSet();

        Assert.Equal(4 * 5 * 4 * 3, all.Count);
        Assert.NotEmpty(byQuery); // both forms say yes somewhere and no somewhere, so agreement means something
        Assert.NotEqual(all.Count, byQuery.Count);
        Assert.Equal(byQuery.Order(), inMemory.Order());
    }

    private static Client NewClient(string first, DateOnly? end) => new()
    {
        FirstName = first, LastName = "Test", DateOfBirth = new DateOnly(1980, 1, 1), EndDate = end,
    };
}
