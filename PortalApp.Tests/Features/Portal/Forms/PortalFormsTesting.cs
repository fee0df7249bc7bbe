using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.Portal;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal.Forms;

/// <summary>Sessions and sent forms for the portal-forms service tests, built with the app's own rules where there are some.</summary>
public static class PortalFormsTesting
{
    /// <summary>The patient's own session, as PortalViewer makes it for their own login.</summary>
    public static PortalSession SelfSession(Client client, string userId = "patient-user") =>
        Session(new PortalPatient(client.Id, client.FirstName, client.LastName, null, true, CaregiverAccessLevel.Full, null), userId, $"{client.FirstName} {client.LastName}");

    private static PortalSession Session(PortalPatient patient, string userId, string name) =>
        new(new PortalAccount(userId, name, [patient]), patient);

    /// <summary>A caregiver's session on <paramref name="patientId"/>, worked out by PortalAccountQuery as every request does.</summary>
    public static async Task<PortalSession> CaregiverSessionAsync(ServiceTestHost host, int patientId, CaregiverAccessLevel level)
    {
        var (user, _) = await CaregiverSeed.ActiveAsync(host, patientId, $"maya.{Guid.NewGuid():N}@example.com", level);
        await using var db = await host.DbAsync();
        var account = await PortalAccountQuery.LoadAsync(db, user.Id, null, DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime));
        return new PortalSession(account!, account!.Find(patientId)!);
    }

    public static async Task<(IntakeFormVersion Version, FormAssignment Assignment)> SendAsync(ServiceTestHost host, int clientId, FormDefinition definition,
        DateTime? nextReminderAtUtc = null)
    {
        await using var db = await host.DbAsync();
        var now = host.Time.GetUtcNow().UtcDateTime;
        var version = await FormSeeds.PublishAsync(db, definition, now);
        var assignment = await FormSeeds.AssignAsync(db, clientId, version, now);
        if (nextReminderAtUtc is not null)
        {
            assignment.NextReminderAtUtc = nextReminderAtUtc;
            await db.SaveChangesAsync();
        }
        return (version, assignment);
    }

    public static Dictionary<string, FormAnswer> Posted(params (string LinkId, string[] Values)[] answers) =>
        answers.ToDictionary(a => a.LinkId, a => new FormAnswer(a.Values));

    /// <summary>A short form of two sections: a name (required), an age, and a scored choice.</summary>
    public static FormDefinition TwoSections => new("Check-in", null,
    [
        new FormItem
        {
            LinkId = "about", Type = FormItemType.Group, Text = "About you",
            Items = [TestForms.Item("name", FormItemType.String, "Your name", required: true), TestForms.Item("age", FormItemType.Integer, "Your age")],
        },
        new FormItem
        {
            LinkId = "mood", Type = FormItemType.Group, Text = "Mood",
            Items =
            [
                TestForms.Item("sleep", FormItemType.Choice, "Trouble sleeping", required: true) with
                {
                    Options = [new("0", "Not at all", 0), new("1", "Several days", 1), new("2", "More than half the days", 2)],
                },
            ],
        },
    ]);
}
